package io.gridtier.ingest;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/**
 * The base of GridTier's hand-written serializers of mutable, variable-length values (the stream's
 * {@link CustomerEvent}, the state's day buckets): stateless singletons that never reuse an instance, so a
 * subclass writes only {@code createInstance}, {@code copy(from)}, {@code serialize}, {@code deserialize}
 * and its snapshot.
 */
public abstract class NoReuseSerializer<T> extends TypeSerializerSingleton<T> {
    private static final long serialVersionUID = 1L;

    @Override
    public final boolean isImmutableType() {
        return false;
    }

    @Override
    public final int getLength() {
        return -1;
    }

    @Override
    public final T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public final T deserialize(T reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public final void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }
}
