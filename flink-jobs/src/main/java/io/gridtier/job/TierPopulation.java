package io.gridtier.job;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The exact population of every tier, churn level, credit rating and the potential-key-account
 * flag across all subtasks: the segmenters send a delta when a customer's segmentation changes
 * (leaves one population, joins another), and this single-key operator keeps the totals in state
 * (so they survive restores and rescaling) and exports them as gauges
 * ({@code gridtier_population_customers{population="KEY_ACCOUNT"}}, ...).
 */
public final class TierPopulation extends KeyedProcessFunction<Integer, PopulationDelta, Void> {
    private static final long serialVersionUID = 1L;

    private transient ValueState<long[]> totals;
    private transient long[] shown;

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("population-totals",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        shown = new long[PopulationDelta.POPULATIONS.length];
        MetricGroup g = getRuntimeContext().getMetricGroup().addGroup("gridtier");
        for (int i = 0; i < PopulationDelta.POPULATIONS.length; i++) {
            int index = i;
            g.addGroup("population", PopulationDelta.POPULATIONS[i]).gauge("customers", () -> shown[index]);
        }
    }

    @Override
    public void processElement(PopulationDelta delta, Context ctx, Collector<Void> out) throws Exception {
        long[] t = totals.value();
        if (t == null || t.length != PopulationDelta.POPULATIONS.length) {
            t = new long[PopulationDelta.POPULATIONS.length];
        }
        if (delta.left >= 0) {
            t[delta.left]--;
        }
        if (delta.joined >= 0) {
            t[delta.joined]++;
        }
        totals.update(t);
        System.arraycopy(t, 0, shown, 0, t.length);
    }
}
