package io.gridtier.job;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TierPopulationTest {

    @Test
    void keepsExactTotalsFromJoinsAndMovesAndSurvivesARestore() throws Exception {
        var harness = harness();
        harness.open();
        harness.processElement(new StreamRecord<>(new PopulationDelta(null, "STANDARD")));
        harness.processElement(new StreamRecord<>(new PopulationDelta(null, "STANDARD")));
        harness.processElement(new StreamRecord<>(new PopulationDelta(null, "CREDIT_A")));
        harness.processElement(new StreamRecord<>(new PopulationDelta("STANDARD", "KEY_ACCOUNT")));
        assertThat(totals(harness)).startsWith(1, 0, 1, 0).contains(1);
        var snapshot = harness.snapshot(1, 1);
        harness.close();

        var restored = harness();
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(new StreamRecord<>(new PopulationDelta("KEY_ACCOUNT", null)));
        long[] t = totals(restored);
        assertThat(t[0]).as("KEY_ACCOUNT").isZero();
        assertThat(t[2]).as("STANDARD").isEqualTo(1);
        assertThat(t[7]).as("CREDIT_A").isEqualTo(1);
        restored.close();
    }

    private static KeyedOneInputStreamOperatorTestHarness<Integer, PopulationDelta, Void> harness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new TierPopulation()),
                new PopulationDelta.ToOneKey(), Types.INT);
    }

    private static long[] totals(KeyedOneInputStreamOperatorTestHarness<Integer, PopulationDelta, Void> h) throws Exception {
        var backend = h.getOperator().getKeyedStateBackend();
        backend.setCurrentKey(0);
        ValueStateDescriptor<long[]> d = new ValueStateDescriptor<>("population-totals",
                PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO);
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d).value();
    }
}
