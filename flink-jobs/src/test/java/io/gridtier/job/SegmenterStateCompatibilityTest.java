package io.gridtier.job;

import io.gridtier.ingest.CustomerEvent;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OperatorSnapshotUtil;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The segmenter's state written by an earlier release restores into this one and the job carries on as if it
 * had never stopped: release 50e3a99's one-input KeyedProcessOperator, restored into the two-input operator
 * with the broadcast model updates (keyed RocksDB state, timers). The reference is this release run through
 * both phases without a stop.
 *
 * <p>The snapshot was made at 50e3a99 by a throw-away test in a worktree of that commit: the one-input harness
 * of that release's segmenter (RocksDB), {@link CompatibilityScenario#phase1()}, a watermark at
 * {@link CompatibilityScenario#PHASE1_WATERMARK}, then {@code OperatorSnapshotUtil.writeStateHandle}. Add one
 * the same way for each release whose savepoints must keep restoring.
 */
class SegmenterStateCompatibilityTest {
    private static final Path SNAPSHOT = Path.of("src/test/resources/compatibility/segmenter-50e3a99-rocksdb.snapshot");

    private static KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> harness(
            OperatorSubtaskState restore) throws Exception {
        var h = CustomerSegmenterHarnessTest.harness(CustomerSegmenterHarnessTest.segmenter(CustomerSegmenterHarnessTest.config()));
        h.setStateBackend(new EmbeddedRocksDBStateBackend());
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        return h;
    }

    private static void phase2(KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> h)
            throws Exception {
        for (CustomerEvent e : CompatibilityScenario.phase2()) {
            h.processElement1(new StreamRecord<>(e, e.timestamp));
        }
        h.processBothWatermarks(new Watermark(CompatibilityScenario.PHASE2_WATERMARK));
    }

    @Test
    void stateOfRelease50e3a99RestoresAndTheSegmenterCarriesOnAsIfUninterrupted() throws Exception {
        Map<String, CustomerSegment> reference = new HashMap<>();
        List<String> referenceAlerts;
        int referenceTimers;
        try (var h = harness(null)) {
            for (CustomerEvent e : CompatibilityScenario.phase1()) {
                h.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            h.processBothWatermarks(new Watermark(CompatibilityScenario.PHASE1_WATERMARK));
            h.getOutput().clear();
            phase2(h);
            h.extractOutputValues().forEach(s -> reference.put(s.getCustomerId() + " " + s.getAsOf(), s));
            referenceAlerts = alerts(h);
            referenceTimers = h.numEventTimeTimers();
        }
        assertThat(referenceAlerts).as("the scenario crosses thresholds after the restore point").isNotEmpty();

        try (var h = harness(OperatorSnapshotUtil.readStateHandle(SNAPSHOT.toString()))) {
            phase2(h);
            List<CustomerSegment> restored = h.extractOutputValues();
            assertThat(alerts(h)).as("alert ids and types after the restore").isEqualTo(referenceAlerts);
            assertThat(h.numEventTimeTimers()).isEqualTo(referenceTimers);
            // days 9 and 10 were read before the snapshot and evaluated after it: their timers and buckets came through
            assertThat(restored).extracting(s -> s.getCustomerId() + " " + s.getAsOf())
                    .contains("C1 " + Instant.ofEpochMilli(TestEvents.dayEnd("2024-01-09")),
                            "C2 " + Instant.ofEpochMilli(TestEvents.dayEnd("2024-01-09")));
            int compared = 0;
            for (CustomerSegment s : restored) {
                CustomerSegment same = reference.get(s.getCustomerId() + " " + s.getAsOf());
                if (same != null) {
                    assertThat(s).as(s.getCustomerId() + " " + s.getAsOf()).isEqualTo(same);
                    compared++;
                }
            }
            assertThat(compared).as("segments written on the same day by both runs, compared field by field")
                    .isGreaterThanOrEqualTo(4);
        }
    }

    private static List<String> alerts(KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> h) {
        return h.getSideOutput(Descriptors.ALERTS).stream().map(StreamRecord::getValue)
                .map((SegmentAlert a) -> a.getAlertId() + " " + a.getType()).toList();
    }
}
