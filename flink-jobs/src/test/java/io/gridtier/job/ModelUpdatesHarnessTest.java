package io.gridtier.job;

import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.ReadingQuality;
import io.gridtier.format.JsonLineCodec;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.ProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.gridtier.job.TestEvents.dayEnd;
import static io.gridtier.job.TestEvents.daily;
import static io.gridtier.job.TestEvents.event;
import static io.gridtier.job.TestEvents.profile;
import static io.gridtier.job.TestEvents.startOf;
import static org.assertj.core.api.Assertions.assertThat;

/** Model versions pushed at run time, through the segmenter's broadcast input, on the real RocksDB backend. */
class ModelUpdatesHarnessTest {
    private static final String INITIAL = "gridtier-model-1.1";
    private static final String[] DAYS = {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"};

    static String modelText(String version) throws IOException {
        return Files.readString(CustomerSegmenterHarnessTest.config().modelFile())
                .replaceFirst("(?m)^version: .*$", "version: " + version);
    }

    static ModelUpdate update(String version, String text, String fromDay) {
        return new ModelUpdate(version, text, startOf(fromDay), "test", Instant.EPOCH, ModelTimeline.checksum(text));
    }

    private static KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> opened(
            OperatorSubtaskState restoreFrom) throws Exception {
        var harness = CustomerSegmenterHarnessTest.harness(
                CustomerSegmenterHarnessTest.segmenter(CustomerSegmenterHarnessTest.config()));
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }

    private static List<CustomerEvent> events() {
        List<CustomerEvent> events = new ArrayList<>();
        for (String c : List.of("C1", "C2")) {
            events.add(event(profile(c, CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        }
        for (String day : DAYS) {
            events.add(event(daily("C1", day, 1000, ReadingQuality.ACTUAL)));
            events.add(event(daily("C2", day, 40, ReadingQuality.ACTUAL)));
        }
        return events;
    }

    /** customer, evaluated day and model version of every segment written. */
    private static List<String> written(KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> h) {
        return h.extractOutputValues().stream().map(s -> s.getCustomerId() + " " + s.getAsOf() + " " + s.getModelVersion()).toList();
    }

    /** Replays the events with the update inserted at {@code position} among them, as a replay reads them. */
    private static List<String> replayWithUpdateAt(int position, ModelUpdate update) throws Exception {
        try (var h = opened(null)) {
            List<CustomerEvent> events = events();
            for (int i = 0; i <= events.size(); i++) {
                if (i == position) {
                    h.processElement2(new StreamRecord<>(update));
                }
                if (i < events.size()) {
                    h.processElement1(new StreamRecord<>(events.get(i), events.get(i).timestamp));
                }
            }
            h.processBothWatermarks(new Watermark(dayEnd(DAYS[DAYS.length - 1])));
            return written(h);
        }
    }

    @Test
    void eachDayIsEvaluatedWithTheModelInForceAtItsTimeWhereverTheUpdateArrivedAmongTheEvents() throws Exception {
        ModelUpdate v2 = update("v2", modelText("v2"), "2024-01-04");
        List<String> before = replayWithUpdateAt(0, v2);
        List<String> between = replayWithUpdateAt(7, v2);
        List<String> after = replayWithUpdateAt(events().size(), v2);

        assertThat(between).isEqualTo(before);
        assertThat(after).isEqualTo(before);
        // the days up to 3 January end before v2 starts; from the evaluation at the end of 3 January on, v2
        // (evaluations happen at the end of a day, at the start of the next)
        for (String line : before) {
            String[] f = line.split(" ");
            boolean fromV2 = !Instant.parse(f[1]).isBefore(startOf("2024-01-04"));
            assertThat(f[2]).as(line).isEqualTo(fromV2 ? "v2" : INITIAL);
        }
        assertThat(before).anyMatch(l -> l.endsWith(" v2")).anyMatch(l -> l.endsWith(" " + INITIAL));
        // the first evaluation under v2 is written out for every customer, naming it
        assertThat(before).contains("C1 " + startOf("2024-01-04") + " v2", "C2 " + startOf("2024-01-04") + " v2");
    }

    @Test
    void inALiveRunAnUpdateArrivingLateAppliesFromTheNextEvaluationAndEarlierOnesStand() throws Exception {
        try (var h = opened(null)) {
            for (CustomerEvent e : events()) {
                h.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            h.processBothWatermarks(new Watermark(dayEnd("2024-01-04")));
            h.processElement2(new StreamRecord<>(update("v2", modelText("v2"), "2024-01-02")));
            h.processBothWatermarks(new Watermark(dayEnd("2024-01-06")));
            List<String> written = written(h);
            assertThat(written).contains("C1 " + startOf("2024-01-05") + " " + INITIAL, "C1 " + startOf("2024-01-06") + " v2");
        }
    }

    @Test
    void theVersionsSurviveASnapshotAndRestore() throws Exception {
        OperatorSubtaskState snapshot;
        try (var h = opened(null)) {
            for (CustomerEvent e : events()) {
                h.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            h.processElement2(new StreamRecord<>(update("v2", modelText("v2"), "2024-01-04")));
            h.processBothWatermarks(new Watermark(dayEnd("2024-01-02")));
            snapshot = h.snapshot(1, 1);
        }
        try (var h = opened(snapshot)) {
            h.processBothWatermarks(new Watermark(dayEnd("2024-01-06")));
            List<String> written = written(h);
            assertThat(written).contains("C1 " + startOf("2024-01-04") + " v2", "C2 " + startOf("2024-01-04") + " v2");
            assertThat(written).filteredOn(l -> !Instant.parse(l.split(" ")[1]).isBefore(startOf("2024-01-04")))
                    .allMatch(l -> l.endsWith(" v2"));
        }
    }

    @Test
    void aChangedModelUnderAVersionInForceIsADeadLetterAndTheVersionStays() throws Exception {
        try (var h = opened(null)) {
            String text = modelText("v2");
            h.processElement2(new StreamRecord<>(update("v2", text, "2024-01-01")));
            h.processElement2(new StreamRecord<>(update("v2", text, "2024-01-01")));
            h.processElement2(new StreamRecord<>(update("v2", text.replace("materialChangePoints: ", "materialChangePoints: 1"), "2024-01-01")));
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).hasSize(1);
            assertThat(dead.get(0).getReason()).isEqualTo(DeadLetterReason.INVALID_MODEL);
            assertThat(dead.get(0).getDetail()).contains("versions are immutable").contains("the model in force stays");
            for (CustomerEvent e : events()) {
                h.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            h.processBothWatermarks(new Watermark(dayEnd("2024-01-01")));
            assertThat(h.extractOutputValues()).extracting(CustomerSegment::getModelVersion).containsOnly("v2");
            assertThat(h.extractOutputValues().get(0).getValueScore()).isNotNaN();
        }
    }

    @Test
    void theCheckTurnsAnInvalidModelOrAnUnreadableRecordIntoADeadLetterNamingTheKey() throws Exception {
        JsonLineCodec codec = new JsonLineCodec(TestEvents.ZONE);
        String broken = modelText("v3").replaceFirst("(?m)^(\\s+)referenceAnnualKwh: ", "$1referenceAnnualKwhh: ");
        String good = modelText("v4");
        List<byte[]> lines = List.of(
                codec.encode(update("v3", broken, "2024-01-01")).getBytes(StandardCharsets.UTF_8),
                "{\"type\": \"ModelUpdate\", \"version\": 1".getBytes(StandardCharsets.UTF_8),
                codec.encode(update("v4", good, "2024-01-01")).getBytes(StandardCharsets.UTF_8));
        try (OneInputStreamOperatorTestHarness<RawRecord, ModelUpdate> h = new OneInputStreamOperatorTestHarness<>(
                new ProcessOperator<>(new ModelUpdateCheck(ModelUpdateDecoder.jsonLine(TestEvents.ZONE), TestEvents.ZONE)))) {
            h.open();
            long line = 0;
            for (byte[] bytes : lines) {
                h.processElement(new StreamRecord<>(new RawRecord("updates.jsonl", 0, ++line, null, bytes)));
            }
            assertThat(h.extractOutputValues()).extracting(ModelUpdate::getVersion).containsExactly("v4");
            List<DeadLetter> dead = h.getSideOutput(Descriptors.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
            assertThat(dead).extracting(DeadLetter::getReason)
                    .containsExactly(DeadLetterReason.INVALID_MODEL, DeadLetterReason.UNPARSEABLE);
            assertThat(dead.get(0).getDetail()).contains("pushed model v3").contains("referenceAnnualKwhh");
            assertThat(dead.get(0).getValue().array()).isEqualTo(lines.get(0));
            assertThat(dead.get(0).getOffset()).isEqualTo(1);
        }
    }
}
