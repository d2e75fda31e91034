package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.RecordDecoder;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import org.apache.avro.specific.SpecificRecord;

import java.io.EOFException;
import java.util.Map;

/**
 * Decodes the input topics' Avro binary by topic (CONTRACT.md): meter readings, customer profiles,
 * and billing events, whose {@link BillingEvent} envelope is opened to the bill or payment inside.
 * It throws nothing but {@link BadRecordException}: garbage, a truncated record, a record of
 * another schema (bytes left over, an index out of range) or a tombstone are UNPARSEABLE, with a
 * detail that says which; a topic it does not know is UNKNOWN_TYPE. Avro binary carries no schema
 * id, so a record of another type that happens to decode completely is caught by the validator
 * instead (a blank id, an impossible interval or date).
 */
public final class AvroTopicDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;

    private final String meterReadingsTopic;
    private final String customerProfilesTopic;
    private final String billingEventsTopic;
    private transient Map<String, AvroBinary<?>> byTopic;

    /** The contract's topic names. */
    public AvroTopicDecoder() {
        this("meter-readings", "customer-profiles", "billing-events");
    }

    public AvroTopicDecoder(String meterReadingsTopic, String customerProfilesTopic, String billingEventsTopic) {
        this.meterReadingsTopic = meterReadingsTopic;
        this.customerProfilesTopic = customerProfilesTopic;
        this.billingEventsTopic = billingEventsTopic;
    }

    /** The input topics named by the configuration. */
    public static AvroTopicDecoder of(JobConfig config) {
        return new AvroTopicDecoder(config.meterReadingsTopic(), config.customerProfilesTopic(),
                config.billingEventsTopic());
    }

    @Override
    public SpecificRecord decode(RawRecord raw) throws BadRecordException {
        if (raw.decoded != null) {
            return raw.decoded; // the Kafka source's decoder (the same topics) has decoded it already
        }
        if (byTopic == null) {
            byTopic = Map.of(meterReadingsTopic, new AvroBinary<>(MeterReading.class),
                    customerProfilesTopic, new AvroBinary<>(CustomerProfile.class),
                    billingEventsTopic, new AvroBinary<>(BillingEvent.class));
        }
        AvroBinary<?> binary = byTopic.get(raw.sourceTopic);
        if (binary == null) {
            throw new BadRecordException(DeadLetterReason.UNKNOWN_TYPE, "topic '" + raw.sourceTopic
                    + "' is not an input of the segmentation job; inputs: " + byTopic.keySet());
        }
        SpecificRecord record = decode(binary, raw.value);
        if (record instanceof BillingEvent envelope) {
            if (!(envelope.getEvent() instanceof SpecificRecord inner)) {
                throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "a BillingEvent without its event");
            }
            return inner;
        }
        return record;
    }

    /**
     * Decodes one topic value, or says precisely why it cannot: a tombstone, bytes left over (a record of another
     * schema?), truncated input, or whatever Avro finds wrong — always UNPARSEABLE.
     */
    static <T extends SpecificRecord> T decode(AvroBinary<T> binary, byte[] value) throws BadRecordException {
        String expected = binary.type().getSimpleName();
        if (value == null) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "no value (a tombstone), expected a " + expected);
        }
        try {
            return binary.decode(value);
        } catch (AvroBinary.TrailingBytesException e) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "not a " + expected + " in Avro binary: "
                    + e.getMessage() + " (a record of another schema?)");
        } catch (EOFException e) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "not a " + expected + " in Avro binary: "
                    + "truncated (" + value.length + " bytes)" + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        } catch (Exception e) {
            // IOException and whatever Avro throws on nonsense: index out of range, bad decimal, ...
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "not a " + expected + " in Avro binary ("
                    + value.length + " bytes): " + e);
        }
    }
}
