package io.gridtier.job;

import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.DayBucket;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.BasicTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.base.IntSerializer;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.util.OutputTag;

/**
 * The state descriptors and side outputs the job's operators share. State names are part of the
 * savepoint format: never rename one.
 */
public final class Descriptors {
    private Descriptors() {
    }

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));
    public static final OutputTag<SegmentAlert> ALERTS =
            new OutputTag<>("segment-alerts", new AvroTypeInfo<>(SegmentAlert.class));
    public static final OutputTag<PopulationDelta> POPULATION =
            new OutputTag<>("population-deltas", TypeInformation.of(PopulationDelta.class));

    /**
     * Broadcast state of the segmenter: the model updates it accepted, by arrival sequence (1, 2, ...). The
     * same on every subtask; restored with each checkpoint and savepoint.
     */
    public static final MapStateDescriptor<Long, ModelUpdate> MODEL_UPDATES = new MapStateDescriptor<>(
            "model-updates", BasicTypeInfo.LONG_TYPE_INFO, new AvroTypeInfo<>(ModelUpdate.class));

    /** Daily and monthly time-of-use kWh (fixed-size rings). */
    public static ValueStateDescriptor<ConsumptionHistory> consumption() {
        return new ValueStateDescriptor<>("consumption", TypeInformation.of(ConsumptionHistory.class));
    }

    /**
     * Local epoch day -> that day's readings, for the days that can still change (the correction
     * window). Read and written on every reading, hence its own serializer.
     */
    public static MapStateDescriptor<Integer, DayBucket> dayBuckets() {
        return new MapStateDescriptor<>("day-buckets", IntSerializer.INSTANCE, DayBucketSerializer.INSTANCE);
    }

    /** Bills and payments, read at every evaluation: its own compact serializer. */
    public static ValueStateDescriptor<BillingLedger> ledger() {
        return new ValueStateDescriptor<>("ledger", BillingLedgerSerializer.INSTANCE);
    }

    public static ValueStateDescriptor<ProfileHistory> profiles() {
        return new ValueStateDescriptor<>("profiles", TypeInformation.of(ProfileHistory.class));
    }

    public static ValueStateDescriptor<SegmentMemory> memory() {
        return new ValueStateDescriptor<>("segment-memory", TypeInformation.of(SegmentMemory.class));
    }
}
