package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelFileEditTest {
    static final Path MODEL_FILE = PredictionTest.CONFIG_DIR.resolve("model/gridtier-model-v1.yaml");

    @TempDir
    Path dir;

    static String source() throws IOException {
        return Files.readString(MODEL_FILE, StandardCharsets.UTF_8);
    }

    private ModelConfig load(String text) throws IOException {
        Path file = dir.resolve("edited.yaml");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return ModelConfig.load(file);
    }

    static Map<String, Double> points(double... values) {
        Map<String, Double> p = new LinkedHashMap<>();
        for (int i = 0; i < values.length; i++) {
            p.put(ChurnFactorRow.FITTED.get(i), values[i]);
        }
        return p;
    }

    @Test
    void newChurnPointsAndVersionLoadAndEverythingElseStaysAsItWas() throws IOException {
        ModelConfig original = ModelConfig.load(MODEL_FILE);
        Map<String, Double> fitted = points(31.47, 40.5, 0, 3.03, 10, 5, 10);
        String text = ModelFileEdit.withChurnPoints(source(), fitted, "gridtier-model-1.1-cal-test",
                List.of("Calibrated for a test.", "", "Second line."));
        ModelConfig edited = load(text);

        assertThat(edited.version()).isEqualTo("gridtier-model-1.1-cal-test");
        assertThat(ChurnFactorRow.points(edited.churn())).isEqualTo(fitted);
        assertThat(edited.churn().closed()).isEqualTo(original.churn().closed());
        assertThat(edited.churn().meterSilence().fullAtDays()).isEqualTo(original.churn().meterSilence().fullAtDays());
        assertThat(edited.value()).isEqualTo(original.value());
        assertThat(edited.credit()).isEqualTo(original.credit());
        assertThat(edited.tiers()).isEqualTo(original.tiers());
        assertThat(edited.categories()).isEqualTo(original.categories());
        assertThat(edited.playbook()).isEqualTo(original.playbook());
        assertThat(text).startsWith("# Calibrated for a test.\n#\n# Second line.\n\n");
        // every comment of the source model is kept
        assertThat(text.lines().filter(l -> l.stripLeading().startsWith("#")))
                .containsAll(source().lines().filter(l -> l.stripLeading().startsWith("#")).toList());
    }

    @Test
    void theSamePointsAndVersionGiveTheSameModel() throws IOException {
        ModelConfig original = ModelConfig.load(MODEL_FILE);
        String text = ModelFileEdit.withChurnPoints(source(), ChurnFactorRow.points(original.churn()), original.version(), List.of());
        assertThat(load(text)).isEqualTo(original);
    }

    @Test
    void aFactorWrittenAsABlockIsEditedToo() throws IOException {
        String block = source().replace("  suspended: {points: 30}", "  suspended:\n    # a comment inside\n    points: 30");
        assertThat(block).isNotEqualTo(source());
        String text = ModelFileEdit.withChurnPoints(block, Map.of("suspended", 12.5), "v-block", List.of());
        assertThat(load(text).churn().suspended().points()).isEqualTo(12.5);
    }

    @Test
    void aFactorMissingFromTheChurnSectionIsRefusedByName() throws IOException {
        String without = source().replace("  suspended: {points: 30}\n", "");
        assertThatThrownBy(() -> ModelFileEdit.withChurnPoints(without, Map.of("suspended", 1.0), "v", List.of()))
                .hasMessageContaining("churn.suspended.points");
    }

    @Test
    void pointsOfTheSameNameInAnotherSectionAreLeftAlone() throws IOException {
        // value.tenure and churn.shortTenure both have points; only churn's factors are edited
        ModelConfig original = ModelConfig.load(MODEL_FILE);
        ModelConfig edited = load(ModelFileEdit.withChurnPoints(source(), points(1, 1, 1, 1, 1, 1, 94), "v", List.of()));
        assertThat(edited.value().tenure()).isEqualTo(original.value().tenure());
        assertThat(edited.credit().lateBills()).isEqualTo(original.credit().lateBills());
    }
}
