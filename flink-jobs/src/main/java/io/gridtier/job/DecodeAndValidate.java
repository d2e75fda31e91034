package io.gridtier.job;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.EventValidator;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.RecordDecoder;
import io.gridtier.schema.DeadLetterReason;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.util.EnumMap;
import java.util.Map;

/**
 * Decodes and validates raw input records. Never throws on a record: one that cannot be used goes to
 * the dead-letter side output with its reason and original bytes, and is counted.
 */
public final class DecodeAndValidate extends ProcessFunction<RawRecord, CustomerEvent> {
    private static final long serialVersionUID = 1L;

    private final RecordDecoder decoder;
    private final EventValidator validator;
    private transient Map<DeadLetterReason, Counter> deadLetters;
    private transient long[] latestEventTime;

    public DecodeAndValidate(RecordDecoder decoder, EventValidator validator) {
        this.decoder = decoder;
        this.validator = validator;
    }

    @Override
    public void open(OpenContext openContext) {
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("gridtier");
        for (DeadLetterReason r : DeadLetterReason.values()) {
            deadLetters.put(r, group.addGroup("reason", r.name()).counter("dead_letters"));
        }
        // event-time lag per input: how far the newest event of each kind is behind the wall clock
        latestEventTime = new long[CustomerEvent.Kind.values().length];
        java.util.Arrays.fill(latestEventTime, Long.MIN_VALUE);
        for (CustomerEvent.Kind k : CustomerEvent.Kind.values()) {
            group.addGroup("input", k.name()).gauge("event_time_lag_ms", () -> latestEventTime[k.ordinal()] == Long.MIN_VALUE
                    ? 0L : Math.max(0L, System.currentTimeMillis() - latestEventTime[k.ordinal()]));
        }
    }

    @Override
    public void processElement(RawRecord raw, Context ctx, Collector<CustomerEvent> out) {
        long now = ctx.timerService().currentProcessingTime();
        try {
            CustomerEvent event = validator.validate(decoder.decode(raw), now);
            event.origin = raw;
            latestEventTime[event.kind.ordinal()] = Math.max(latestEventTime[event.kind.ordinal()], event.timestamp);
            out.collect(event);
        } catch (BadRecordException e) {
            deadLetters.get(e.reason()).inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, e.reason(), e.getMessage(), now));
        } catch (RuntimeException e) {
            // a decoder bug must not kill the job: the record is kept, with what went wrong
            deadLetters.get(DeadLetterReason.UNPARSEABLE).inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, DeadLetterReason.UNPARSEABLE,
                    "could not be decoded: " + e, now));
        }
    }
}
