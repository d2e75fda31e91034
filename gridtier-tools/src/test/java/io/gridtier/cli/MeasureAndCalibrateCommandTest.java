package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.evaluation.ChurnFactorRow;
import io.gridtier.evaluation.Outcome;
import io.gridtier.evaluation.Prediction;
import io.gridtier.evaluation.ScoreReport;
import io.gridtier.evaluation.SegmentBeforeOutcome;
import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.generator.PopulationGenerator;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * score-report and calibrate through the command line, on a population of the built-in generator segmented by
 * the job's keyed operator ({@link OperatorHarnessSegmentation}), against the generator's own outcomes.
 */
class MeasureAndCalibrateCommandTest {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    private static final Path CONFIG = CONFIG_DIR.resolve("gridtier.yaml");
    private static final Path MODEL = CONFIG_DIR.resolve("model/gridtier-model-v1.yaml");

    @TempDir
    static Path dir;
    static Path segments;
    static Path outcomes;
    static JobConfig config;

    @BeforeAll
    static void generateAndSegment() throws Exception {
        Path pop = dir.resolve("pop");
        new PopulationGenerator(GeneratorOptions.defaults().withCustomers(250).withSeed(11).withMonths(15)
                .withHourlyShare(0)).generate(pop);
        outcomes = pop.resolve(PopulationGenerator.OUTCOMES_FILE);
        config = JobConfig.load(CONFIG, List.of(), CONFIG_DIR.getParent());
        SegmentationModel model = new SegmentationModel(ModelConfig.load(MODEL), config.zone());
        segments = OperatorHarnessSegmentation.segments(pop.resolve(PopulationGenerator.EVENTS_FILE), config, model,
                dir.resolve("out"));
    }

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return GridTier.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theGeneratedPopulationHasChurnersMeasuredBeforeTheirChurn() throws Exception {
        List<Outcome> rows = Outcome.read(outcomes);
        var selection = SegmentBeforeOutcome.select(SegmentHistory.read(segments, config.zone()), rows,
                Outcome.Kind.CHURNED, config.zone());
        assertThat(selection.measured()).filteredOn(SegmentBeforeOutcome.Measured::reached).hasSizeGreaterThanOrEqualTo(3);
    }

    @Test
    void scoreReportPrintsAndWritesTheMeasuresAndTheChurnScoreRanksChurnersAboveChance() throws Exception {
        Path report = dir.resolve("report");
        int code = run("score-report", "--segments", segments.toString(), "--outcomes", outcomes.toString(),
                "--out", report.toString(), "--config", CONFIG.toString(), "--model", MODEL.toString());
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        String text = Files.readString(report.resolve(ScoreReport.TEXT_FILE), StandardCharsets.UTF_8);
        assertThat(out()).contains(text);
        for (Prediction p : Prediction.values()) {
            assertThat(text).contains(p.label() + " -> " + p.outcome());
        }
        assertThat(text).contains("ROC AUC").contains("lift in the top decile").contains("precision").contains("calibration")
                .contains("churn score >= 40 (tiers.churnElevated.enter)");
        Matcher churn = Pattern.compile("churn score -> CHURNED\\n.*\\n  ROC AUC (\\d\\.\\d+)").matcher(text);
        assertThat(churn.find()).as(text).isTrue();
        assertThat(Double.parseDouble(churn.group(1))).isGreaterThan(0.5);

        String html = Files.readString(report.resolve(ScoreReport.HTML_FILE), StandardCharsets.UTF_8);
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg").contains("<table").endsWith("</html>\n")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
    }

    @Test
    void theSegmentsChurnFactorsReproduceItsChurnScoreSoCalibrationsFeaturesAreTheModels() throws Exception {
        ModelConfig model = ModelConfig.load(MODEL);
        Map<String, Double> current = ChurnFactorRow.points(model.churn());
        double[] points = current.values().stream().mapToDouble(Double::doubleValue).toArray();
        SegmentHistory history = SegmentHistory.read(segments, config.zone());
        assertThat(history.byCustomer()).isNotEmpty();
        history.byCustomer().values().forEach(list -> list.forEach(s ->
                assertThat(ChurnFactorRow.of(s, current, false).score(points, model.churn().closed().points()))
                        .as(s.getCustomerId() + " " + s.getAsOf()).isEqualTo(s.getChurnScore())));
    }

    @Test
    void calibrateWritesANewModelVersionThatLoadsAsTheJobLoadsIt() throws Exception {
        Path fitted = dir.resolve("fitted/gridtier-model-cal.yaml");
        int code = run("calibrate", "--segments", segments.toString(), "--outcomes", outcomes.toString(),
                "--config", CONFIG.toString(), "--model", MODEL.toString(), "--out", fitted.toString(),
                "--holdout", "0.3", "--seed", "3", "--l2", "0.001", "--model-version", "gridtier-model-1.1-cal-test");
        assertThat(code).as(err.toString(StandardCharsets.UTF_8) + out()).isZero();
        assertThat(out()).contains("Held-out churn AUC: current").contains("fitted")
                .contains("Wrote " + fitted + " (version gridtier-model-1.1-cal-test)");
        assertThat(fitted.resolveSibling(fitted.getFileName() + ".draft")).doesNotExist();

        ModelConfig loaded = ModelConfig.load(fitted);
        new SegmentationModel(loaded, config.zone());
        assertThat(loaded.version()).isEqualTo("gridtier-model-1.1-cal-test");
        // the factors fitted share the 100 points; those not fitted keep the source model's
        List<String> notFitted = out().lines().filter(l -> l.contains("(not fitted:")).map(l -> l.split("\\s+")[0]).toList();
        Map<String, Double> source = ChurnFactorRow.points(ModelConfig.load(MODEL).churn());
        long hundredths = 0;
        for (Map.Entry<String, Double> e : ChurnFactorRow.points(loaded.churn()).entrySet()) {
            if (notFitted.contains(e.getKey())) {
                assertThat(e.getValue()).as(e.getKey()).isEqualTo(source.get(e.getKey()));
            } else {
                hundredths += Math.round(e.getValue() * 100);
            }
        }
        assertThat(hundredths).isEqualTo(100_00);
        String text = Files.readString(fitted, StandardCharsets.UTF_8);
        assertThat(text).startsWith("# Calibrated by `gridtier calibrate`").contains(segments.getFileName().toString())
                .contains("outcomes.csv").contains("l2 0.001").contains("seed 3");
        // the job's own configuration accepts it as its model
        JobConfig withIt = JobConfig.load(CONFIG, List.of("model=" + fitted.toAbsolutePath()), CONFIG_DIR.getParent());
        assertThat(ModelConfig.load(withIt.modelFile()).version()).isEqualTo("gridtier-model-1.1-cal-test");
    }

    @Test
    void calibrateRefusesSegmentsOfAnotherModel() throws Exception {
        Path other = dir.resolve("other.yaml");
        Files.writeString(other, Files.readString(MODEL, StandardCharsets.UTF_8)
                .replace("version: gridtier-model-1.1", "version: another-model"), StandardCharsets.UTF_8);
        int code = run("calibrate", "--segments", segments.toString(), "--outcomes", outcomes.toString(),
                "--config", CONFIG.toString(), "--model", other.toString(), "--out", dir.resolve("x.yaml").toString());
        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("pass the model that wrote them with --model");
        assertThat(dir.resolve("x.yaml")).doesNotExist();
    }

    @Test
    void calibrateRejectsAHoldOutOutsideItsRangeNamingIt() {
        int code = run("calibrate", "--segments", segments.toString(), "--outcomes", outcomes.toString(),
                "--out", dir.resolve("y.yaml").toString(), "--holdout", "1.5");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("holdout must be between 0 and 0.9");
    }
}
