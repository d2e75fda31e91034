package io.gridtier.kafka;

import io.gridtier.wire.BoundedBinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Plain Avro binary, the wire format of every GridTier topic (CONTRACT.md): the record's fields and
 * nothing else, no schema id. Not thread-safe; each operator instance keeps its own.
 *
 * @param <T> the record class, generated from {@code schemas/}
 */
public final class AvroBinary<T extends SpecificRecord> {
    private final Class<T> type;
    private final DatumReader<T> reader;
    private final SpecificDatumWriter<T> writer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
    private BinaryEncoder encoder;

    public AvroBinary(Class<T> type) {
        this.type = type;
        this.reader = new SpecificDatumReader<>(type);
        this.writer = new SpecificDatumWriter<>(type);
    }

    public byte[] encode(T record) {
        buffer.reset();
        encoder = EncoderFactory.get().binaryEncoder(buffer, encoder);
        try {
            writer.write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode a " + type.getSimpleName(), e);
        }
        return buffer.toByteArray();
    }

    /**
     * Decodes exactly one record that must use all of {@code bytes}.
     *
     * @throws IOException         truncated input, or bytes left over after the record
     * @throws RuntimeException    anything else Avro finds wrong (an enum or union index out of range,
     *                             a zero-length decimal, ...)
     */
    public T decode(byte[] bytes) throws IOException {
        BoundedBinaryDecoder in = new BoundedBinaryDecoder(bytes);
        T record = reader.read(null, in);
        if (in.remaining() > 0) {
            throw new TrailingBytesException(in.remaining(), bytes.length);
        }
        return record;
    }

    public Class<T> type() {
        return type;
    }

    /** A complete record was read but did not use all the bytes: most often another record type. */
    static final class TrailingBytesException extends EOFException {
        TrailingBytesException(int left, int total) {
            super(left + " of " + total + " bytes left over after a complete record");
        }
    }
}
