package io.gridtier.job;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** {@code gridtier_model_updates{outcome}}: what became of each model update the job read. */
final class ModelUpdateMetrics {
    private ModelUpdateMetrics() {
    }

    /** outcome: accepted, already_known, refused, unparseable. */
    static Counter outcome(MetricGroup gridtier, String outcome) {
        return gridtier.addGroup("outcome", outcome).counter("model_updates");
    }
}
