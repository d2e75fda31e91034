package io.gridtier.job;

import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.java.typeutils.runtime.PojoSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The snapshot of a hand-written state serializer that took over from Flink's POJO serializer: a format version
 * and nothing else (the layout is fixed per version). Restores as is from its own snapshots and after migration
 * from the POJO serializer's, which wrote that state in savepoints taken before the serializer existed (RocksDB
 * then rewrites every value on restore). Subclasses are the serializers' public {@code Snapshot} classes, whose
 * names savepoints record: never rename one.
 */
abstract class PojoSuccessorSnapshot<T> implements TypeSerializerSnapshot<T> {
    private static final int VERSION = 1;
    private final TypeSerializer<T> serializer;

    PojoSuccessorSnapshot(TypeSerializer<T> serializer) {
        this.serializer = serializer;
    }

    @Override
    public final int getCurrentVersion() {
        return VERSION;
    }

    @Override
    public final void writeSnapshot(DataOutputView out) {
    }

    @Override
    public final void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
        if (readVersion != VERSION) {
            throw new IOException("unknown " + serializer.getClass().getSimpleName() + " snapshot version " + readVersion);
        }
    }

    @Override
    public final TypeSerializer<T> restoreSerializer() {
        return serializer;
    }

    @Override
    public final TypeSerializerSchemaCompatibility<T> resolveSchemaCompatibility(TypeSerializerSnapshot<T> oldSnapshot) {
        if (oldSnapshot.getClass() == getClass()) {
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }
        if (oldSnapshot instanceof PojoSerializerSnapshot) {
            return TypeSerializerSchemaCompatibility.compatibleAfterMigration();
        }
        return TypeSerializerSchemaCompatibility.incompatible();
    }
}
