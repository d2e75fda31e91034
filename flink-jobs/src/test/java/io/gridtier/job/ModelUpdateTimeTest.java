package io.gridtier.job;

import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.ModelUpdate;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The model-updates stream never carries a watermark to the segmenter: idle, or holding time until it ends. */
class ModelUpdateTimeTest {
    private static final ModelUpdate UPDATE = new ModelUpdate("v2", "x", Instant.EPOCH, "t", Instant.EPOCH, ModelTimeline.checksum("x"));

    private static List<Object> run(boolean live) throws Exception {
        try (var h = new OneInputStreamOperatorTestHarness<ModelUpdate, ModelUpdate>(new ModelUpdateTime(live))) {
            h.open();
            h.processWatermark(new Watermark(1_000));
            h.processElement(new StreamRecord<>(UPDATE, 5));
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processWatermark(new Watermark(Long.MAX_VALUE)); // the end of a bounded input
            h.processElement(new StreamRecord<>(UPDATE, 6));
            return List.copyOf(h.getOutput());
        }
    }

    @Test
    void liveTheStreamIsIdleAndActiveOnlyAroundAnUpdate() throws Exception {
        assertThat(run(true)).containsExactly(WatermarkStatus.IDLE,
                WatermarkStatus.ACTIVE, new StreamRecord<>(UPDATE, 5), WatermarkStatus.IDLE,
                WatermarkStatus.ACTIVE, new StreamRecord<>(UPDATE, 6), WatermarkStatus.IDLE);
    }

    @Test
    void boundedTheStreamHoldsTimeUntilItsEndAndThenIsIdleWithoutPassingTheEndOfTime() throws Exception {
        assertThat(run(false)).containsExactly(new StreamRecord<>(UPDATE, 5), WatermarkStatus.IDLE,
                WatermarkStatus.ACTIVE, new StreamRecord<>(UPDATE, 6), WatermarkStatus.IDLE);
    }
}
