package io.gridtier.ingest;

import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CustomerEventSerializer} under Flink's own serializer test suite (round trips individually
 * and in sequence, copies, duplicates, snapshot and restore), over every kind of event with its
 * optional fields null and set, plus its wiring and snapshot compatibility.
 */
class CustomerEventSerializerTest extends NoReuseSerializerTestBase<CustomerEvent> {

    CustomerEventSerializerTest() {
        super(CustomerEvent.class, CustomerEventSerializer.INSTANCE);
    }

    @Override
    protected CustomerEvent[] getTestData() {
        return new CustomerEvent[] {
                reading(false), reading(true), bareReading(),
                profile(false), profile(true),
                bill(false), bill(true),
                payment(false), payment(true), returnedPayment(),
                new CustomerEvent()};
    }

    @Test
    void isWhatFlinkUsesForCustomerEvents() {
        TypeInformation<CustomerEvent> info = TypeInformation.of(CustomerEvent.class);
        assertThat(info).isInstanceOf(CustomerEventSerializer.Info.class);
        assertThat(info.createSerializer(new SerializerConfigImpl())).isSameAs(CustomerEventSerializer.INSTANCE);
    }

    @Test
    void aReadingIsSixtyFiveBytesOnTheWire() throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(64);
        CustomerEventSerializer.INSTANCE.serialize(reading(false), out);
        // kind, presence, "B00000001", timestamp, "B00000001-7", "B00000001-M", end, minutes, kWh, quality
        assertThat(out.length()).isEqualTo(1 + 1 + 10 + 8 + 12 + 12 + 8 + 4 + 8 + 1);
    }

    @Test
    void everyKindRoundTripsWithItsOptionalFieldsNullAndSet() throws IOException {
        for (CustomerEvent event : getTestData()) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            CustomerEventSerializer.INSTANCE.serialize(event, out);
            CustomerEvent back = CustomerEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
            assertThat(back).usingRecursiveComparison().isEqualTo(event);
            assertThat(CustomerEventSerializer.INSTANCE.copy(event)).usingRecursiveComparison().isEqualTo(event);
        }
    }

    @Test
    void aCopyOwnsItsOriginalBytes() {
        CustomerEvent event = reading(true);
        CustomerEvent copy = CustomerEventSerializer.INSTANCE.copy(event);
        event.origin.value[0] = 'X';
        assertThat(copy.origin.value[0]).isEqualTo((byte) '{');
    }

    @Test
    void enumConstantsMayBeAppendedButNotReordered() throws IOException {
        List<String> kinds = List.of("READING", "PROFILE", "BILL", "PAYMENT");
        List<String> qualities = List.of("ACTUAL", "ESTIMATED", "CORRECTED");
        assertThat(CustomerEvent.Kind.values()).extracting(Enum::name).isEqualTo(kinds);
        assertThat(ReadingQuality.values()).extracting(Enum::name).isEqualTo(qualities);
        List<String> categories = names(CustomerCategory.values());
        List<String> statuses = names(CustomerStatus.values());

        assertThat(compatibility(kinds, qualities, categories, statuses).isCompatibleAsIs()).isTrue();
        assertThat(compatibility(kinds.subList(0, 3), qualities, categories, statuses).isCompatibleAsIs())
                .as("a release that has since appended a kind").isTrue();
        assertThat(compatibility(List.of("PROFILE", "READING", "BILL", "PAYMENT"), qualities, categories, statuses)
                .isIncompatible()).as("reordered kinds").isTrue();
        assertThat(compatibility(kinds, List.of("ACTUAL", "ESTIMATED", "CORRECTED", "REMOVED"), categories, statuses)
                .isIncompatible()).as("a quality that no longer exists").isTrue();
    }

    @SafeVarargs
    private static TypeSerializerSchemaCompatibility<CustomerEvent> compatibility(List<String>... enums) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        out.writeInt(enums.length);
        for (List<String> names : enums) {
            out.writeInt(names.size());
            for (String name : names) {
                out.writeUTF(name);
            }
        }
        CustomerEventSerializer.Snapshot old = new CustomerEventSerializer.Snapshot();
        old.readSnapshot(1, new DataInputDeserializer(out.getCopyOfBuffer()), CustomerEventSerializerTest.class.getClassLoader());
        return CustomerEventSerializer.INSTANCE.snapshotConfiguration().resolveSchemaCompatibility(old);
    }

    private static List<String> names(Enum<?>[] constants) {
        return java.util.Arrays.stream(constants).map(Enum::name).toList();
    }


    private static CustomerEvent event(CustomerEvent.Kind kind, boolean withOrigin) {
        CustomerEvent e = new CustomerEvent();
        e.kind = kind;
        e.customerId = "B00000001";
        e.timestamp = 1_735_700_000_000L;
        if (withOrigin) {
            e.origin = new RawRecord("meter-readings", 3, 1_234_567L, "B00000001".getBytes(StandardCharsets.UTF_8),
                    "{\"kwh\": 1.5}".getBytes(StandardCharsets.UTF_8));
            e.origin.eventTime = 1_735_700_000_001L;
        }
        return e;
    }

    private static CustomerEvent reading(boolean withOrigin) {
        CustomerEvent e = event(CustomerEvent.Kind.READING, withOrigin);
        e.reading = new ReadingEvent();
        e.reading.readingId = "B00000001-7";
        e.reading.meterId = "B00000001-M";
        e.reading.intervalEnd = 1_735_700_000_000L;
        e.reading.intervalMinutes = 60;
        e.reading.kwh = 1.37;
        e.reading.quality = withOrigin ? ReadingQuality.CORRECTED : ReadingQuality.ACTUAL;
        return e;
    }

    /** A reading with every nullable field null and an origin without key or bytes. */
    private static CustomerEvent bareReading() {
        CustomerEvent e = event(CustomerEvent.Kind.READING, false);
        e.customerId = "";
        e.reading = new ReadingEvent();
        e.origin = new RawRecord(null, 0, 0, null, new byte[0]);
        return e;
    }

    private static CustomerEvent profile(boolean optionalsSet) {
        CustomerEvent e = event(CustomerEvent.Kind.PROFILE, optionalsSet);
        ProfileVersion p = new ProfileVersion();
        p.category = CustomerCategory.LARGE_INDUSTRIAL;
        p.voltageKv = 10.0;
        p.accountOpenedDay = 16_436;
        p.status = CustomerStatus.ACTIVE;
        p.updatedAt = 1_735_600_000_000L;
        if (optionalsSet) {
            p.industry = "钢铁 steel, ".repeat(20); // over 127 UTF-8 bytes: a two-byte length
            p.contractCapacityKva = 2_500.0;
            p.contractEndDay = 20_500;
            p.tariff = "large-industrial";
            p.electricityTheft = true;
        }
        e.profile = p;
        return e;
    }

    private static CustomerEvent bill(boolean withOrigin) {
        CustomerEvent e = event(CustomerEvent.Kind.BILL, withOrigin);
        e.bill = new LedgerBill("B00000001-B3", 1_735_600_000_000L, 20_000, 20_030, 20_050, 24_000, 300.5);
        return e;
    }

    private static CustomerEvent payment(boolean namesItsBill) {
        CustomerEvent e = event(CustomerEvent.Kind.PAYMENT, namesItsBill);
        e.payment = new LedgerPayment("B00000001-P3", namesItsBill ? "B00000001-B3" : null, 24_000, 1_735_800_000_000L);
        return e;
    }

    /** The notice of a returned payment: a placeholder with no receipt and a return time. */
    private static CustomerEvent returnedPayment() {
        CustomerEvent e = event(CustomerEvent.Kind.PAYMENT, false);
        e.payment = new LedgerPayment();
        e.payment.paymentId = "B00000001-P4";
        e.payment.returnedAt = 1_735_900_000_000L;
        return e;
    }
}
