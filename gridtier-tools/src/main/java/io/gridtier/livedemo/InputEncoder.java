package io.gridtier.livedemo;

import io.gridtier.config.JobConfig;
import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import org.apache.avro.specific.SpecificRecord;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An input record as the job's Kafka source expects it: its topic (from the configuration), the customer id as
 * key, the Avro binary value (bills and payments in their {@link BillingEvent} envelope) and its event time.
 * Used by everything that produces a population's {@code events.jsonl} into Kafka (the live demo's streamer,
 * {@code bench-e2e --population}). Not thread-safe.
 */
public final class InputEncoder {
    /** One encoded input record; a bad line's event time is {@link Long#MIN_VALUE}. */
    public record Encoded(String topic, byte[] key, byte[] value, long eventTime) {
        public boolean isBadLine() {
            return eventTime == Long.MIN_VALUE;
        }
    }

    private static final Pattern CUSTOMER_ID = Pattern.compile("\"customerId\"\\s*:\\s*\"([^\"]{1,64})\"");

    private final JobConfig config;
    private final AvroBinary<MeterReading> readings = new AvroBinary<>(MeterReading.class);
    private final AvroBinary<CustomerProfile> profiles = new AvroBinary<>(CustomerProfile.class);
    private final AvroBinary<BillingEvent> billing = new AvroBinary<>(BillingEvent.class);

    private final JsonLineCodec codec;

    public InputEncoder(JobConfig config) {
        this.config = config;
        this.codec = new JsonLineCodec(config.zone());
    }

    /**
     * A line of {@code events.jsonl}: its record encoded; a line that does not decode goes as it is, its raw bytes,
     * to the readings topic, keyed by the customer id it names if any, for the job to dead-letter.
     */
    public Encoded encodeLine(String line) {
        try {
            return encode(codec.decode(line));
        } catch (BadRecordException | RuntimeException e) {
            Matcher m = CUSTOMER_ID.matcher(line);
            return new Encoded(config.meterReadingsTopic(), m.find() ? key(m.group(1)) : null,
                    line.getBytes(StandardCharsets.UTF_8), Long.MIN_VALUE);
        }
    }

    /** @throws BadRecordException for a record that is none of the four inputs */
    public Encoded encode(SpecificRecord record) throws BadRecordException {
        if (record instanceof MeterReading r) {
            return new Encoded(config.meterReadingsTopic(), key(r.getCustomerId()), readings.encode(r), r.getIntervalEnd().toEpochMilli());
        } else if (record instanceof CustomerProfile r) {
            return new Encoded(config.customerProfilesTopic(), key(r.getCustomerId()), profiles.encode(r), r.getUpdatedAt().toEpochMilli());
        } else if (record instanceof BillIssued r) {
            return new Encoded(config.billingEventsTopic(), key(r.getCustomerId()), billing.encode(new BillingEvent(r)),
                    r.getIssuedAt().toEpochMilli());
        } else if (record instanceof PaymentReceived r) {
            return new Encoded(config.billingEventsTopic(), key(r.getCustomerId()), billing.encode(new BillingEvent(r)),
                    r.getPaidAt().toEpochMilli());
        }
        throw new BadRecordException(null, "not an input record");
    }

    private static byte[] key(String customerId) {
        return customerId == null ? null : customerId.getBytes(StandardCharsets.UTF_8);
    }
}
