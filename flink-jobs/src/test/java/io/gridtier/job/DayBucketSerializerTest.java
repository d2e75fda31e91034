package io.gridtier.job;

import io.gridtier.customer.DayBucket;
import io.gridtier.ingest.NoReuseSerializerTestBase;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link DayBucketSerializer} under Flink's serializer test suite, and the migration of buckets that
 * earlier releases wrote with Flink's POJO serializer.
 */
class DayBucketSerializerTest extends NoReuseSerializerTestBase<DayBucket> {

    DayBucketSerializerTest() {
        super(DayBucket.class, DayBucketSerializer.INSTANCE);
    }

    @Override
    protected DayBucket[] getTestData() {
        DayBucket empty = new DayBucket();
        DayBucket bare = new DayBucket();
        bare.entries = null;
        return new DayBucket[] {empty, bare, day(false), day(true)};
    }

    @Test
    void bucketsWrittenByThePojoSerializerAreMigratedOnRestore() throws Exception {
        MapStateDescriptor<Integer, DayBucket> asBefore =
                new MapStateDescriptor<>("day-buckets", Types.INT, Types.POJO(DayBucket.class));
        OperatorSubtaskState snapshot;
        try (var before = harness(asBefore)) {
            before.open();
            before.processElement(new StreamRecord<>("B1"));
            snapshot = before.snapshot(1, 1);
        }
        try (var after = harness(Descriptors.dayBuckets())) {
            after.initializeState(snapshot);
            after.open();
            after.processElement(new StreamRecord<>("B1"));
            assertThat(after.extractOutputValues()).hasSize(2);
            assertThat(after.extractOutputValues().get(0)).usingRecursiveComparison().isEqualTo(day(true));
            assertThat(after.extractOutputValues().get(1).readings()).as("and the bucket takes new readings").isEqualTo(4);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, DayBucket> harness(
            MapStateDescriptor<Integer, DayBucket> descriptor) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new BucketKeeper(descriptor)), customer -> customer, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    /** Stores day 20,000's bucket on a customer's first element; emits it, then adds a reading and emits it again. */
    private static final class BucketKeeper extends KeyedProcessFunction<String, String, DayBucket> {
        private final MapStateDescriptor<Integer, DayBucket> descriptor;
        private transient MapState<Integer, DayBucket> buckets;

        BucketKeeper(MapStateDescriptor<Integer, DayBucket> descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public void open(OpenContext openContext) {
            buckets = getRuntimeContext().getMapState(descriptor);
        }

        @Override
        public void processElement(String customer, Context ctx, Collector<DayBucket> out) throws Exception {
            DayBucket b = buckets.get(20_000);
            if (b == null) {
                buckets.put(20_000, day(true));
                return;
            }
            out.collect(b);
            DayBucket more = buckets.get(20_000);
            more.apply(99L, ReadingQuality.ACTUAL, 2, 0.5f);
            buckets.put(20_000, more);
            out.collect(buckets.get(20_000));
        }
    }

    private static DayBucket day(boolean folded) {
        DayBucket b = new DayBucket();
        b.tariff = folded ? "commercial" : null;
        b.apply(42L, ReadingQuality.ESTIMATED, 1, 3.5f);
        b.apply(43L, ReadingQuality.ACTUAL, 0, 1.25f);
        b.apply(44L, ReadingQuality.ACTUAL, 3, 0.75f);
        b.apply(42L, ReadingQuality.CORRECTED, 1, 4f);
        b.folded = folded;
        return b;
    }
}
