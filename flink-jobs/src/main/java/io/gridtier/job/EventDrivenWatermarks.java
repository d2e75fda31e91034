package io.gridtier.job;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness watermarks emitted by the events themselves, on whole quanta (an hour),
 * instead of on a processing-time timer. Where the watermark stands after each event then depends
 * only on the events read so far, never on thread timing, so a replay gives the same segments and
 * alerts every time, late events included; and there is at most one watermark per quantum.
 */
public final class EventDrivenWatermarks<T> implements WatermarkGenerator<T> {
    private final long maxOutOfOrderness;
    private final long quantum;
    private long maxTimestamp = Long.MIN_VALUE;
    private long emitted = Long.MIN_VALUE;

    public EventDrivenWatermarks(long maxOutOfOrdernessMillis, long quantumMillis) {
        this.maxOutOfOrderness = maxOutOfOrdernessMillis;
        this.quantum = quantumMillis;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp <= maxTimestamp) {
            return;
        }
        maxTimestamp = eventTimestamp;
        long candidate = Math.floorDiv(maxTimestamp - maxOutOfOrderness - 1, quantum) * quantum;
        if (candidate > emitted) {
            emitted = candidate;
            output.emitWatermark(new Watermark(candidate));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // nothing: only events move the watermark (idleness is handled by the strategy's wrapper)
    }
}
