package io.gridtier.model;

import io.gridtier.schema.ModelUpdate;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelTimelineTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final Path MODEL_FILE = Path.of(System.getProperty("gridtier.configDir", "../config"), "model/gridtier-model-v1.yaml");
    private static final long DAY = 86_400_000L;

    static String modelText(String version) throws IOException {
        return Files.readString(MODEL_FILE).replaceFirst("(?m)^version: .*$", "version: " + version);
    }

    static ModelUpdate update(String version, String text, long from) {
        return new ModelUpdate(version, text, Instant.ofEpochMilli(from), "test", Instant.ofEpochMilli(0),
                ModelTimeline.checksum(text));
    }

    private final ModelTimeline timeline = new ModelTimeline(
            new SegmentationModel(ModelConfig.load(MODEL_FILE), ZONE), ZONE);

    @Test
    void eachTimeUsesTheVersionWithTheLatestStartNotAfterItWhateverTheArrivalOrder() throws IOException {
        assertThat(timeline.offer(update("v3", modelText("v3"), 20 * DAY)).outcome()).isEqualTo(ModelTimeline.Outcome.ACCEPTED);
        assertThat(timeline.offer(update("v2", modelText("v2"), 10 * DAY)).outcome()).isEqualTo(ModelTimeline.Outcome.ACCEPTED);

        assertThat(timeline.at(10 * DAY - 1).version()).isEqualTo("gridtier-model-1.1");
        assertThat(timeline.at(10 * DAY).version()).isEqualTo("v2");
        assertThat(timeline.at(20 * DAY - 1).version()).isEqualTo("v2");
        assertThat(timeline.at(25 * DAY).version()).isEqualTo("v3");
        assertThat(timeline.entries()).extracting(ModelTimeline.Entry::version).containsExactly("v2", "v3");
    }

    @Test
    void ofTwoVersionsFromTheSameTimeTheOnePushedLaterWins() throws IOException {
        timeline.offer(update("a", modelText("a"), 5 * DAY));
        timeline.offer(update("b", modelText("b"), 5 * DAY));
        assertThat(timeline.at(6 * DAY).version()).isEqualTo("b");
    }

    @Test
    void aRepeatedPushIsANoOpAndAChangedOneUnderTheSameVersionIsRefused() throws IOException {
        String text = modelText("v2");
        timeline.offer(update("v2", text, DAY));
        assertThat(timeline.offer(update("v2", text, DAY)).outcome()).isEqualTo(ModelTimeline.Outcome.ALREADY_KNOWN);
        ModelTimeline.Offer changed = timeline.offer(update("v2", text.replace("materialChangePoints: ", "materialChangePoints: 1"), DAY));
        assertThat(changed.outcome()).isEqualTo(ModelTimeline.Outcome.REFUSED);
        assertThat(changed.detail()).contains("versions are immutable");
        ModelTimeline.Offer moved = timeline.offer(update("v2", text, 2 * DAY));
        assertThat(moved.outcome()).isEqualTo(ModelTimeline.Outcome.REFUSED);
        assertThat(timeline.entries()).hasSize(1);
        assertThat(timeline.offer(update("gridtier-model-1.1", Files.readString(MODEL_FILE), DAY)).outcome())
                .isEqualTo(ModelTimeline.Outcome.ALREADY_KNOWN);
    }

    @Test
    void anInvalidModelIsRefusedNamingTheKeyAndChangesNothing() throws IOException {
        String broken = modelText("v9").replaceFirst("keyAccountMinAnnualKwh: 3000000", "keyAccountMinAnnualKwhh: 3000000");
        ModelTimeline.Offer offer = timeline.offer(update("v9", broken, 0));
        assertThat(offer.outcome()).isEqualTo(ModelTimeline.Outcome.REFUSED);
        assertThat(offer.detail()).contains("pushed model v9").contains("keyAccountMinAnnualKwhh");
        assertThat(timeline.at(DAY).version()).isEqualTo("gridtier-model-1.1");
        assertThat(timeline.entries()).isEmpty();
    }

    @Test
    void theEnvelopeMustMatchTheText() throws IOException {
        ModelUpdate cut = update("v2", modelText("v2"), 0);
        cut.setModel(cut.getModel().substring(0, 200));
        assertThatThrownBy(() -> ModelTimeline.validate(cut, ZONE)).isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("checksum");
        ModelUpdate misnamed = update("v2", modelText("v3"), 0);
        assertThatThrownBy(() -> ModelTimeline.validate(misnamed, ZONE)).hasMessageContaining("the model text says 'v3'");
        assertThat(timeline.offer(update(" ", modelText("v2"), 0)).detail()).contains("version is empty");
    }

    @Test
    void restoredUpdatesKeepTheirArrivalOrder() throws IOException {
        timeline.restore(update("b", modelText("b"), 5 * DAY), 2);
        timeline.restore(update("a", modelText("a"), 5 * DAY), 1);
        assertThat(timeline.at(5 * DAY).version()).isEqualTo("b");
        assertThat(timeline.lastSequence()).isEqualTo(2);
        timeline.offer(update("c", modelText("c"), 5 * DAY));
        assertThat(timeline.at(5 * DAY).version()).isEqualTo("c");
    }
}
