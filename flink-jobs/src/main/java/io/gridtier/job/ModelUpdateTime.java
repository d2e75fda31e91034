package io.gridtier.job;

import io.gridtier.schema.ModelUpdate;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * What the model-updates stream says about event time to the segmenter it is connected to: nothing that could
 * move evaluations on. The segmenter's event time is the minimum over its inputs that are not idle, so this
 * stream must never carry a watermark of its own — an end-of-time watermark here would, while every Kafka
 * partition is idle, evaluate every customer up to the end of time. It is idle instead:
 * <ul>
 *   <li>live (the Kafka topic, never ending): idle from the start; an update passes through as a record,
 *       the stream marked active only around it;</li>
 *   <li>bounded (a replay's file): active, holding event time at its start, until its end, then idle: every
 *       update is in the broadcast state before the first evaluation, and the events alone move time after.</li>
 * </ul>
 * Upstream watermarks and statuses are swallowed. (A watermark strategy cannot do this: it cannot turn the end
 * of its input into idleness.)
 */
final class ModelUpdateTime extends AbstractStreamOperator<ModelUpdate> implements OneInputStreamOperator<ModelUpdate, ModelUpdate> {
    private static final long serialVersionUID = 1L;

    private final boolean live;
    private transient boolean idle;

    ModelUpdateTime(boolean live) {
        this.live = live;
    }

    @Override
    public void open() throws Exception {
        super.open();
        if (live) {
            becomeIdle();
        }
    }

    @Override
    public void processElement(StreamRecord<ModelUpdate> update) {
        if (idle) {
            output.emitWatermarkStatus(WatermarkStatus.ACTIVE);
            output.collect(update);
            output.emitWatermarkStatus(WatermarkStatus.IDLE);
        } else {
            output.collect(update);
        }
    }

    @Override
    public void processWatermark(Watermark mark) {
        if (mark.getTimestamp() == Long.MAX_VALUE && !idle) {
            becomeIdle(); // the end of a bounded input: from now on the events alone move time
        }
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // this operator alone decides what the stream says about time
    }

    private void becomeIdle() {
        idle = true;
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }
}
