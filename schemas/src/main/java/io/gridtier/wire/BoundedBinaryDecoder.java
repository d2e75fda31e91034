package io.gridtier.wire;

import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary decoding of one in-memory record that refuses any length larger than the bytes left.
 * Avro's own decoder allocates a string, bytes or array of whatever length the input claims (up
 * to 2 GB by default) before finding out that the bytes are not there, so a few bytes of garbage
 * on a topic could take a reader's heap; here they are a short read, as they should be. Every item
 * of an array or map is assumed to take at least one byte (true of GridTier's schemas: no array
 * of nulls or of empty records).
 *
 * <p>Shared by everything that reads GridTier's topics: the job (its input topics) and the
 * tier-service (the job's outputs). It reads the array in place through Avro's buffered decoder;
 * the bytes left are that decoder's {@code inputStream().available()}, exact for an array source.
 */
public final class BoundedBinaryDecoder extends Decoder {
    private final BinaryDecoder d;
    private final InputStream left;

    public BoundedBinaryDecoder(byte[] bytes) {
        this(bytes, 0, bytes.length);
    }

    /** Decodes {@code bytes[offset..offset+length)}. */
    public BoundedBinaryDecoder(byte[] bytes, int offset, int length) {
        this.d = DecoderFactory.get().binaryDecoder(bytes, offset, length, null);
        this.left = d.inputStream();
    }

    /** Bytes not read yet. */
    public int remaining() {
        try {
            return left.available();
        } catch (IOException e) {
            throw new IllegalStateException("an in-memory source cannot fail", e);
        }
    }

    private int length(String what) throws IOException {
        long n = d.readLong();
        if (n < 0) {
            throw new IOException("negative " + what + " length " + n);
        }
        return within(n, what);
    }

    private int within(long n, String what) throws EOFException {
        if (n > remaining()) {
            throw new EOFException(what + " of " + n + " bytes, but only " + remaining() + " bytes are left");
        }
        return (int) n;
    }

    private long items(long n, String what) throws IOException {
        // a negative block count is followed by the block's size in bytes; Avro's decoder has read both
        long count = Math.abs(n);
        if (count < 0) {
            throw new IOException(what + " block count " + n + " out of range");
        }
        within(count, what + " of " + count + " items");
        return n;
    }

    @Override
    public void readNull() throws IOException {
        d.readNull();
    }

    @Override
    public boolean readBoolean() throws IOException {
        return d.readBoolean();
    }

    @Override
    public int readInt() throws IOException {
        return d.readInt();
    }

    @Override
    public long readLong() throws IOException {
        return d.readLong();
    }

    @Override
    public float readFloat() throws IOException {
        return d.readFloat();
    }

    @Override
    public double readDouble() throws IOException {
        return d.readDouble();
    }

    @Override
    public Utf8 readString(Utf8 old) throws IOException {
        int n = length("string");
        Utf8 result = old != null ? old : new Utf8();
        result.setByteLength(n);
        d.readFixed(result.getBytes(), 0, n);
        return result;
    }

    @Override
    public String readString() throws IOException {
        int n = length("string");
        byte[] bytes = new byte[n];
        d.readFixed(bytes, 0, n);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Override
    public void skipString() throws IOException {
        d.skipFixed(length("string"));
    }

    @Override
    public ByteBuffer readBytes(ByteBuffer old) throws IOException {
        int n = length("bytes");
        byte[] bytes = new byte[n];
        d.readFixed(bytes, 0, n);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    public void skipBytes() throws IOException {
        d.skipFixed(length("bytes"));
    }

    @Override
    public void readFixed(byte[] bytes, int start, int len) throws IOException {
        d.readFixed(bytes, start, within(len, "fixed"));
    }

    @Override
    public void skipFixed(int len) throws IOException {
        d.skipFixed(within(len, "fixed"));
    }

    @Override
    public int readEnum() throws IOException {
        return d.readEnum();
    }

    @Override
    public long readArrayStart() throws IOException {
        return items(d.readArrayStart(), "array");
    }

    @Override
    public long arrayNext() throws IOException {
        return items(d.arrayNext(), "array");
    }

    @Override
    public long skipArray() throws IOException {
        return d.skipArray();
    }

    @Override
    public long readMapStart() throws IOException {
        return items(d.readMapStart(), "map");
    }

    @Override
    public long mapNext() throws IOException {
        return items(d.mapNext(), "map");
    }

    @Override
    public long skipMap() throws IOException {
        return d.skipMap();
    }

    @Override
    public int readIndex() throws IOException {
        return d.readIndex();
    }
}
