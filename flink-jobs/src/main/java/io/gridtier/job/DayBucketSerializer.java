package io.gridtier.job;

import io.gridtier.customer.DayBucket;
import io.gridtier.ingest.NoReuseSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The serializer of the {@code day-buckets} state: every reading reads and writes its day's
 * {@link DayBucket}, and every evaluation reads the buckets it folds, so Flink's reflective POJO
 * serializer (an instance created and seven fields set by reflection, per read) was a fifth of the
 * keyed operator's time. Layout: peak, flat, valley, unsplit (float), folded (boolean), tariff
 * (presence boolean, then writeUTF: a tariff name from the configuration), entries (int length, -1
 * for null, then the bytes).
 *
 * <p>Set on the state descriptor ({@link Descriptors#dayBuckets()}), so {@code customer} stays free
 * of Flink. State written by earlier releases with the POJO serializer is migrated on restore (see
 * {@link PojoSuccessorSnapshot}).
 */
public final class DayBucketSerializer extends NoReuseSerializer<DayBucket> {
    private static final long serialVersionUID = 1L;

    public static final DayBucketSerializer INSTANCE = new DayBucketSerializer();

    @Override
    public DayBucket createInstance() {
        return new DayBucket();
    }

    @Override
    public DayBucket copy(DayBucket from) {
        DayBucket b = new DayBucket();
        b.peak = from.peak;
        b.flat = from.flat;
        b.valley = from.valley;
        b.unsplit = from.unsplit;
        b.folded = from.folded;
        b.tariff = from.tariff;
        b.entries = from.entries == null ? null : from.entries.clone();
        return b;
    }

    @Override
    public void serialize(DayBucket b, DataOutputView out) throws IOException {
        out.writeFloat(b.peak);
        out.writeFloat(b.flat);
        out.writeFloat(b.valley);
        out.writeFloat(b.unsplit);
        out.writeBoolean(b.folded);
        out.writeBoolean(b.tariff != null);
        if (b.tariff != null) {
            out.writeUTF(b.tariff);
        }
        if (b.entries == null) {
            out.writeInt(-1);
        } else {
            out.writeInt(b.entries.length);
            out.write(b.entries);
        }
    }

    @Override
    public DayBucket deserialize(DataInputView in) throws IOException {
        DayBucket b = new DayBucket();
        b.peak = in.readFloat();
        b.flat = in.readFloat();
        b.valley = in.readFloat();
        b.unsplit = in.readFloat();
        b.folded = in.readBoolean();
        b.tariff = in.readBoolean() ? in.readUTF() : null;
        int length = in.readInt();
        if (length < 0) {
            b.entries = null;
        } else {
            b.entries = new byte[length];
            in.readFully(b.entries);
        }
        return b;
    }

    @Override
    public TypeSerializerSnapshot<DayBucket> snapshotConfiguration() {
        return new Snapshot();
    }

    /** See {@link PojoSuccessorSnapshot}: never rename this class (savepoints record its name). */
    public static final class Snapshot extends PojoSuccessorSnapshot<DayBucket> {
        public Snapshot() {
            super(INSTANCE);
        }
    }
}
