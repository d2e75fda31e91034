package io.gridtier.ingest;

import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.testutils.DeeplyEqualsChecker;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flink's serializer test suite for a {@link NoReuseSerializer}: variable length, and values compared
 * field by field (the values have no equals of their own).
 */
public abstract class NoReuseSerializerTestBase<T> extends SerializerTestBase<T> {
    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    protected NoReuseSerializerTestBase(Class<T> type, TypeSerializer<T> serializer) {
        super(new DeeplyEqualsChecker().withCustomCheck(
                (a, b) -> type.isInstance(a) && type.isInstance(b),
                (a, b, checker) -> fieldByFieldEqual(a, b)));
        this.type = type;
        this.serializer = serializer;
    }

    @Override
    protected final TypeSerializer<T> createSerializer() {
        return serializer;
    }

    @Override
    protected final int getLength() {
        return -1;
    }

    @Override
    protected final Class<T> getTypeClass() {
        return type;
    }

    private static boolean fieldByFieldEqual(Object a, Object b) {
        try {
            assertThat(a).usingRecursiveComparison().isEqualTo(b);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }
}
