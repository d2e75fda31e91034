package io.gridtier.tierservice.store;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import io.gridtier.wire.BoundedBinaryDecoder;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Plain Avro binary (no schema registry, no single-object header) of the two output records, as the
 * segmentation job writes them to Kafka. Readers and decoders are per thread: Avro's are not thread-safe.
 *
 * <p>Decoding is bounded by the record's own bytes: a string, array or byte field that claims more than is
 * left is a {@link MalformedRecordException}, never an allocation of the claimed size (Avro's decoder would
 * allocate up to 2 GB first, and the OutOfMemoryError would kill the ingestor). What the fast headline walk
 * accepts, the full decoding used to answer lookups accepts too: it checks every field of the record, enum
 * and union indexes included. Bytes after a complete record are ignored, as Avro does, so that a job that
 * appends a field (with a default) can be upgraded before the service.
 */
public final class AvroCodec {
    private static final ThreadLocal<SpecificDatumReader<CustomerSegment>> SEGMENT_READER =
            ThreadLocal.withInitial(() -> new SpecificDatumReader<>(CustomerSegment.class));
    private static final ThreadLocal<SpecificDatumReader<SegmentAlert>> ALERT_READER =
            ThreadLocal.withInitial(() -> new SpecificDatumReader<>(SegmentAlert.class));
    private static final ThreadLocal<SpecificDatumWriter<CustomerSegment>> SEGMENT_WRITER =
            ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(CustomerSegment.class));
    private static final ThreadLocal<SpecificDatumWriter<SegmentAlert>> ALERT_WRITER =
            ThreadLocal.withInitial(() -> new SpecificDatumWriter<>(SegmentAlert.class));
    private static final ThreadLocal<BinaryDecoder> DECODER = new ThreadLocal<>();
    private static final int CATEGORIES = io.gridtier.schema.CustomerCategory.values().length;
    private static final int SCORE_KINDS = io.gridtier.schema.ScoreKind.values().length;
    private static final int USAGE_PROFILES = io.gridtier.schema.UsageProfile.values().length;

    private AvroCodec() {
    }

    /** Decodes a CustomerSegment from {@code bytes[offset..offset+length)}; a malformed one throws. */
    public static CustomerSegment decodeSegment(byte[] bytes, int offset, int length) {
        try {
            return SEGMENT_READER.get().read(null, new BoundedBinaryDecoder(bytes, offset, length));
        } catch (IOException | RuntimeException e) {
            throw malformed("CustomerSegment", e);
        }
    }

    /** The fields of a segment the store needs to file it, read without decoding the factors. */
    public record Headline(String customerId, TierKey tier, String modelVersion, long asOfMillis) {
    }

    public static Headline decodeHeadline(byte[] bytes) {
        return decodeHeadline(bytes, 0, bytes.length);
    }

    /** The headline of the segment in {@code bytes[offset..offset+length)}. */
    public static Headline decodeHeadline(byte[] bytes, int offset, int length) {
        return FAST_HEADLINE ? fastHeadline(bytes, offset, length) : decodedHeadline(bytes, offset, length);
    }

    static boolean fastHeadlineInUse() {
        return FAST_HEADLINE;
    }

    static Headline decodedHeadline(byte[] bytes) {
        return decodedHeadline(bytes, 0, bytes.length);
    }

    /** The headline from the whole decoded segment: slower than the walk, used when the schema no longer fits it. */
    private static Headline decodedHeadline(byte[] bytes, int offset, int length) {
        CustomerSegment s = decodeSegment(bytes, offset, length);
        return new Headline(s.getCustomerId(), TierKey.of(s), s.getModelVersion(), s.getAsOf().toEpochMilli());
    }

    /**
     * The walk below follows CustomerSegment's fields; it is used only if the compiled schema still has exactly
     * these fields (checked once), else the whole segment is decoded.
     */
    private static final boolean FAST_HEADLINE = schemaStartsWith(CustomerSegment.getClassSchema(), List.of(
            "customerId:STRING", "category:ENUM", "valueTier:ENUM", "valueScore:DOUBLE", "potentialKeyAccount:BOOLEAN",
            "churnRisk:ENUM", "churnScore:DOUBLE", "creditRating:ENUM", "creditScore:DOUBLE", "factors:ARRAY",
            "recommendedActions:ARRAY", "tierSince:LONG", "modelVersion:STRING", "asOf:LONG", "usageProfile:UNION",
            "peakShare:UNION", "flatShare:UNION", "valleyShare:UNION"))
            && CustomerSegment.getClassSchema().getFields().size() == 18
            && CustomerSegment.getClassSchema().getField("usageProfile").schema().equals(Schema.createUnion(
            Schema.create(Schema.Type.NULL), io.gridtier.schema.UsageProfile.getClassSchema()))
            && List.of("peakShare", "flatShare", "valleyShare").stream().allMatch(f -> CustomerSegment.getClassSchema()
            .getField(f).schema().equals(Schema.createUnion(Schema.create(Schema.Type.NULL), Schema.create(Schema.Type.DOUBLE))))
            && schemaStartsWith(io.gridtier.schema.Factor.getClassSchema(), List.of(
            "score:ENUM", "name:STRING", "value:DOUBLE", "contribution:DOUBLE", "detail:STRING"))
            && io.gridtier.schema.Factor.getClassSchema().getFields().size() == 5
            && CustomerSegment.getClassSchema().getField("recommendedActions").schema().getElementType().getType()
            == Schema.Type.STRING;

    private static boolean schemaStartsWith(Schema record, List<String> fields) {
        List<Schema.Field> actual = record.getFields();
        if (actual.size() < fields.size()) {
            return false;
        }
        for (int i = 0; i < fields.size(); i++) {
            Schema.Field f = actual.get(i);
            if (!fields.get(i).equals(f.name() + ":" + f.schema().getType())) {
                return false;
            }
        }
        return true;
    }

    static Headline fastHeadline(byte[] bytes) {
        return fastHeadline(bytes, 0, bytes.length);
    }

    private static Headline fastHeadline(byte[] bytes, int offset, int length) {
        try {
            BinaryDecoder d = DecoderFactory.get().binaryDecoder(bytes, offset, length, DECODER.get());
            DECODER.set(d);
            String customerId = boundedString(d, length);
            index(d.readEnum(), CATEGORIES, "category");
            ValueTier valueTier = ValueTier.values()[d.readEnum()];
            d.skipFixed(8);
            boolean potential = d.readBoolean();
            ChurnRisk churn = ChurnRisk.values()[d.readEnum()];
            d.skipFixed(8);
            CreditRating credit = CreditRating.values()[d.readEnum()];
            d.skipFixed(8);
            for (long n = d.readArrayStart(); n != 0; n = d.arrayNext()) {
                for (long i = 0; i < n; i++) { // Factor: score, name, value, contribution, detail
                    index(d.readEnum(), SCORE_KINDS, "factor score");
                    d.skipString();
                    d.skipFixed(16);
                    d.skipString();
                }
            }
            for (long n = d.readArrayStart(); n != 0; n = d.arrayNext()) {
                for (long i = 0; i < n; i++) {
                    d.skipString();
                }
            }
            d.readLong(); // tierSince
            String modelVersion = boundedString(d, length);
            long asOf = d.readLong();
            // the optional fields, read only to know that the record decodes as a whole
            if (index(d.readIndex(), 2, "usageProfile branch") == 1) {
                index(d.readEnum(), USAGE_PROFILES, "usageProfile");
            }
            for (int share = 0; share < 3; share++) {
                if (index(d.readIndex(), 2, "share branch") == 1) {
                    d.skipFixed(8);
                }
            }
            return new Headline(customerId, new TierKey(valueTier, churn, potential, credit), modelVersion, asOf);
        } catch (IOException | RuntimeException e) {
            throw malformed("CustomerSegment", e);
        }
    }

    /** A string of at most {@code limit} bytes (the record's length): a larger claim is refused before any allocation. */
    private static String boundedString(BinaryDecoder d, int limit) throws IOException {
        long n = d.readLong();
        if (n < 0 || n > limit) {
            throw new java.io.EOFException("string of " + n + " bytes in a record of " + limit);
        }
        byte[] utf8 = new byte[(int) n];
        d.readFixed(utf8, 0, utf8.length);
        return new String(utf8, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int index(int i, int count, String what) throws IOException {
        if (i < 0 || i >= count) {
            throw new IOException(what + " index " + i + " out of range (" + count + ")");
        }
        return i;
    }

    /** Says what was wrong, never with the record's bytes. */
    private static MalformedRecordException malformed(String expected, Exception e) {
        String why = e.getMessage() == null ? "" : ": " + e.getMessage();
        if (why.length() > 160) {
            why = why.substring(0, 160) + "...";
        }
        return new MalformedRecordException("not a " + expected + " in Avro binary (" + e.getClass().getSimpleName() + why
                + ")", e);
    }

    public static CustomerSegment decodeSegment(byte[] bytes) {
        return decodeSegment(bytes, 0, bytes.length);
    }

    public static SegmentAlert decodeAlert(byte[] bytes) {
        try {
            return ALERT_READER.get().read(null, new BoundedBinaryDecoder(bytes));
        } catch (IOException | RuntimeException e) {
            throw malformed("SegmentAlert", e);
        }
    }

    public static byte[] encode(CustomerSegment segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            SEGMENT_WRITER.get().write(segment, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] encode(SegmentAlert alert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1536);
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        try {
            ALERT_WRITER.get().write(alert, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A Kafka record whose value is not the record it should be. */
    public static final class MalformedRecordException extends RuntimeException {
        public MalformedRecordException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
