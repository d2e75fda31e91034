package io.gridtier.job;

import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.schema.DeadLetterReason;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dead-letters events that come too late for their state (see {@link LatenessRule}) while their
 * original bytes are still at hand, then drops those bytes so they do not travel through the keyBy.
 */
public final class LatenessGate extends ProcessFunction<CustomerEvent, CustomerEvent> {
    private static final long serialVersionUID = 1L;

    private final LatenessRule rule;
    private transient Counter tooLate;

    public LatenessGate(LatenessRule rule) {
        this.rule = rule;
    }

    @Override
    public void open(OpenContext openContext) {
        tooLate = getRuntimeContext().getMetricGroup().addGroup("gridtier")
                .addGroup("reason", DeadLetterReason.TOO_LATE.name()).counter("dead_letters");
    }

    @Override
    public void processElement(CustomerEvent event, Context ctx, Collector<CustomerEvent> out) {
        String why = rule.tooLate(event, ctx.timerService().currentWatermark());
        if (why != null) {
            tooLate.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(event.origin, DeadLetterReason.TOO_LATE, why,
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        event.origin = null;
        out.collect(event);
    }
}
