package io.gridtier.kafka;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroTopicDecoderTest {
    static final byte[] GARBAGE = "GARBAGE: not Avro at all \u0000\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    /** A string length of 2,147,483,632 bytes followed by three: Avro's own decoder would allocate 2 GB. */
    static final byte[] HUGE_LENGTH = {(byte) 0xE0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a', 'b', 'c'};

    private final Scenario scenario = new Scenario();
    private final AvroTopicDecoder decoder = new AvroTopicDecoder();
    private final MeterReading reading = first(MeterReading.class);
    private final CustomerProfile profile = first(CustomerProfile.class);
    private final BillIssued bill = first(BillIssued.class);
    private final PaymentReceived payment = first(PaymentReceived.class);

    @Test
    void decodesEachInputTopicWithItsSchemaAndOpensTheBillingEnvelope() throws Exception {
        assertThat(decode("meter-readings", encode(reading))).isEqualTo(reading);
        assertThat(decode("customer-profiles", encode(profile))).isEqualTo(profile);
        assertThat(decode("billing-events", encode(new BillingEvent(bill)))).isEqualTo(bill);
        assertThat(decode("billing-events", encode(new BillingEvent(payment)))).isEqualTo(payment);
    }

    @Test
    void usesTheTopicNamesItIsGiven() throws Exception {
        AvroTopicDecoder custom = new AvroTopicDecoder("r", "p", "b");
        assertThat(custom.decode(raw("r", encode(reading)))).isEqualTo(reading);
        assertFails(custom, "meter-readings", encode(reading), DeadLetterReason.UNKNOWN_TYPE, "not an input");
    }

    @Test
    void garbageIsUnparseable() {
        for (String topic : List.of("meter-readings", "customer-profiles", "billing-events")) {
            assertFails(decoder, topic, GARBAGE, DeadLetterReason.UNPARSEABLE, "in Avro binary");
        }
    }

    @Test
    void aHugeClaimedLengthIsATruncationNotAnAllocation() {
        assertFails(decoder, "meter-readings", HUGE_LENGTH, DeadLetterReason.UNPARSEABLE, "truncated");
        assertFails(decoder, "customer-profiles", HUGE_LENGTH, DeadLetterReason.UNPARSEABLE, "truncated");
    }

    @Test
    void truncatedRecordsAreUnparseable() {
        assertFails(decoder, "meter-readings", half(encode(reading)), DeadLetterReason.UNPARSEABLE, "truncated");
        assertFails(decoder, "customer-profiles", half(encode(profile)), DeadLetterReason.UNPARSEABLE, "truncated");
        assertFails(decoder, "billing-events", half(encode(new BillingEvent(bill))), DeadLetterReason.UNPARSEABLE, "truncated");
        assertFails(decoder, "meter-readings", new byte[0], DeadLetterReason.UNPARSEABLE, "truncated");
    }

    @Test
    void trailingBytesAfterACompleteRecordAreRefused() {
        byte[] longer = Arrays.copyOf(encode(reading), encode(reading).length + 1);
        assertFails(decoder, "meter-readings", longer, DeadLetterReason.UNPARSEABLE, "1 of " + longer.length + " bytes left over");
    }

    @Test
    void recordsOfAnotherSchemaAreUnparseable() {
        assertFails(decoder, "meter-readings", encode(profile), DeadLetterReason.UNPARSEABLE, "not a MeterReading");
        assertFails(decoder, "customer-profiles", encode(reading), DeadLetterReason.UNPARSEABLE, "not a CustomerProfile");
        // a bill sent without its BillingEvent envelope
        assertFails(decoder, "billing-events", encode(bill), DeadLetterReason.UNPARSEABLE, "not a BillingEvent");
        assertFails(decoder, "billing-events", encode(reading), DeadLetterReason.UNPARSEABLE, "not a BillingEvent");
    }

    @Test
    void aTombstoneIsUnparseable() {
        assertFails(decoder, "customer-profiles", null, DeadLetterReason.UNPARSEABLE, "tombstone");
    }

    @Test
    void neverThrowsAnythingButBadRecordOnRandomOrMutatedBytes() {
        Random random = new Random(7);
        List<byte[]> valid = List.of(encode(reading), encode(profile), encode(new BillingEvent(bill)), encode(new BillingEvent(payment)));
        int decoded = 0;
        for (int i = 0; i < 20_000; i++) {
            byte[] bytes;
            if (i % 2 == 0) {
                bytes = new byte[random.nextInt(64)];
                random.nextBytes(bytes);
            } else {
                bytes = valid.get(random.nextInt(valid.size())).clone();
                for (int flips = 1 + random.nextInt(3); flips > 0 && bytes.length > 0; flips--) {
                    bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
                }
            }
            String topic = List.of("meter-readings", "customer-profiles", "billing-events").get(random.nextInt(3));
            try {
                decoder.decode(raw(topic, bytes));
                decoded++;
            } catch (BadRecordException e) {
                assertThat(e.reason()).isEqualTo(DeadLetterReason.UNPARSEABLE);
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(decoded).as("mutated records that still decode (the validator judges those)").isPositive();
    }

    @Test
    void survivesSerializationAsPartOfTheJobGraph() throws Exception {
        AvroTopicDecoder copy = InstantiationUtil.clone(decoder);
        assertThat(copy.decode(raw("meter-readings", encode(reading)))).isEqualTo(reading);
    }

    private SpecificRecord decode(String topic, byte[] value) throws BadRecordException {
        return decoder.decode(raw(topic, value));
    }

    private static void assertFails(AvroTopicDecoder decoder, String topic, byte[] value, DeadLetterReason reason, String detail) {
        assertThatThrownBy(() -> decoder.decode(raw(topic, value)))
                .isInstanceOfSatisfying(BadRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(detail);
    }

    static RawRecord raw(String topic, byte[] value) {
        return new RawRecord(topic, 0, 42, "C-1".getBytes(StandardCharsets.UTF_8), value);
    }

    @SuppressWarnings("unchecked")
    static <T extends SpecificRecord> byte[] encode(T record) {
        return new AvroBinary<>((Class<T>) record.getClass()).encode(record);
    }

    private static byte[] half(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    private <T> T first(Class<T> type) {
        return scenario.events.stream().map(Scenario.Event::record).filter(type::isInstance).map(type::cast).findFirst()
                .orElseThrow();
    }
}
