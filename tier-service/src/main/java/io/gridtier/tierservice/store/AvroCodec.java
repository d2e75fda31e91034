package io.gridtier.tierservice.store;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Plain Avro binary (no schema registry, no single-object header) of the two output records, as the
 * segmentation job writes them to Kafka. Readers and decoders are per thread: Avro's are not thread-safe.
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
    /** Only what the view indexes and compares: Avro skips the rest (factors, actions) without building it. */
    private static final Schema HEADLINE = projection(CustomerSegment.getClassSchema(), List.of("customerId",
            "valueTier", "potentialKeyAccount", "churnRisk", "creditRating", "modelVersion", "asOf"));
    private static final ThreadLocal<GenericDatumReader<GenericRecord>> HEADLINE_READER =
            ThreadLocal.withInitial(() -> new GenericDatumReader<>(CustomerSegment.getClassSchema(), HEADLINE));

    private AvroCodec() {
    }

    /** Decodes a CustomerSegment from {@code bytes[offset..offset+length)}; a malformed one throws. */
    public static CustomerSegment decodeSegment(byte[] bytes, int offset, int length) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, DECODER.get());
            DECODER.set(decoder);
            return SEGMENT_READER.get().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("not a CustomerSegment in Avro binary: " + e.getClass().getSimpleName(), e);
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
        return FAST_HEADLINE ? fastHeadline(bytes, offset, length) : projectedHeadline(bytes, offset, length);
    }

    static boolean fastHeadlineInUse() {
        return FAST_HEADLINE;
    }

    static Headline projectedHeadline(byte[] bytes) {
        return projectedHeadline(bytes, 0, bytes.length);
    }

    private static Headline projectedHeadline(byte[] bytes, int offset, int length) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, offset, length, DECODER.get());
            DECODER.set(decoder);
            GenericRecord r = HEADLINE_READER.get().read(null, decoder);
            TierKey tier = new TierKey(ValueTier.valueOf(r.get("valueTier").toString()),
                    ChurnRisk.valueOf(r.get("churnRisk").toString()), (Boolean) r.get("potentialKeyAccount"),
                    CreditRating.valueOf(r.get("creditRating").toString()));
            return new Headline(r.get("customerId").toString(), tier, r.get("modelVersion").toString(),
                    (Long) r.get("asOf"));
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("not a CustomerSegment in Avro binary: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The walk below follows CustomerSegment's field order; it is used only if the compiled schema still starts
     * with exactly these fields (checked once), else the projection reader above is.
     */
    private static final boolean FAST_HEADLINE = schemaStartsWith(CustomerSegment.getClassSchema(), List.of(
            "customerId:STRING", "category:ENUM", "valueTier:ENUM", "valueScore:DOUBLE", "potentialKeyAccount:BOOLEAN",
            "churnRisk:ENUM", "churnScore:DOUBLE", "creditRating:ENUM", "creditScore:DOUBLE", "factors:ARRAY",
            "recommendedActions:ARRAY", "tierSince:LONG", "modelVersion:STRING", "asOf:LONG"))
            && schemaStartsWith(io.gridtier.schema.Factor.getClassSchema(), List.of(
            "score:ENUM", "name:STRING", "value:DOUBLE", "contribution:DOUBLE", "detail:STRING"))
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
            String customerId = d.readString();
            d.readEnum(); // category
            ValueTier valueTier = ValueTier.values()[d.readEnum()];
            d.skipFixed(8);
            boolean potential = d.readBoolean();
            ChurnRisk churn = ChurnRisk.values()[d.readEnum()];
            d.skipFixed(8);
            CreditRating credit = CreditRating.values()[d.readEnum()];
            d.skipFixed(8);
            for (long n = d.readArrayStart(); n != 0; n = d.arrayNext()) {
                for (long i = 0; i < n; i++) { // Factor: score, name, value, contribution, detail
                    d.readEnum();
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
            String modelVersion = d.readString();
            long asOf = d.readLong();
            return new Headline(customerId, new TierKey(valueTier, churn, potential, credit), modelVersion, asOf);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("not a CustomerSegment in Avro binary: " + e.getClass().getSimpleName(), e);
        }
    }

    private static Schema projection(Schema full, List<String> keep) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : full.getFields()) {
            if (keep.contains(f.name())) {
                fields.add(new Schema.Field(f, f.schema()));
            }
        }
        return Schema.createRecord(full.getName(), full.getDoc(), full.getNamespace(), false, fields);
    }

    public static CustomerSegment decodeSegment(byte[] bytes) {
        return decodeSegment(bytes, 0, bytes.length);
    }

    public static SegmentAlert decodeAlert(byte[] bytes) {
        try {
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 0, bytes.length, DECODER.get());
            DECODER.set(decoder);
            return ALERT_READER.get().read(null, decoder);
        } catch (IOException | RuntimeException e) {
            throw new MalformedRecordException("not a SegmentAlert in Avro binary: " + e.getClass().getSimpleName(), e);
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
