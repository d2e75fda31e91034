package io.gridtier.job;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.time.ZoneId;

/**
 * Decodes and validates the model updates before they are broadcast to every segmenter subtask (parallelism
 * 1, so each refusal is one dead letter). A record that is not a ModelUpdate is UNPARSEABLE; a model that the
 * start-up file's rules refuse, or whose checksum or version does not match its text, is INVALID_MODEL with
 * the message naming the key. Neither reaches the segmenter: the model in force stays, the job runs on.
 */
public final class ModelUpdateCheck extends ProcessFunction<RawRecord, ModelUpdate> {
    private static final long serialVersionUID = 1L;

    private final ModelUpdateDecoder decoder;
    private final String zoneId;
    private transient ZoneId zone;
    private transient Counter unparseable;
    private transient Counter refused;

    public ModelUpdateCheck(ModelUpdateDecoder decoder, ZoneId zone) {
        this.decoder = decoder;
        this.zoneId = zone.getId();
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
        MetricGroup gridtier = getRuntimeContext().getMetricGroup().addGroup("gridtier");
        unparseable = ModelUpdateMetrics.outcome(gridtier, "unparseable");
        refused = ModelUpdateMetrics.outcome(gridtier, "refused");
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<ModelUpdate> out) {
        long now = ctx.timerService().currentProcessingTime();
        ModelUpdate update;
        try {
            update = decoder.decode(raw);
        } catch (BadRecordException e) {
            unparseable.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, e.reason(), e.getMessage(), now));
            return;
        }
        try {
            ModelTimeline.validate(update, zone);
        } catch (InvalidConfigException e) {
            refused.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, DeadLetterReason.INVALID_MODEL,
                    e.getMessage() + "; the model in force stays", now));
            return;
        } catch (RuntimeException e) {
            // a validation bug must not kill the job either
            refused.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, DeadLetterReason.INVALID_MODEL,
                    "pushed model " + update.getVersion() + " could not be validated: " + e + "; the model in force stays", now));
            return;
        }
        out.collect(update);
    }
}
