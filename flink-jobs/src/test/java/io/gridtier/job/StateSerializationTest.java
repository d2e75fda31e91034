package io.gridtier.job;

import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.DayBucket;
import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.ReadingEvent;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.ValueTier;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * State and the records between operators are Flink POJOs, serialised without Kryo, and round-trip
 * exactly; the event crossing the keyBy and the day buckets have their own serializers
 * (CustomerEventSerializerTest, DayBucketSerializerTest).
 */
class StateSerializationTest {

    @ParameterizedTest
    @ValueSource(classes = {ConsumptionHistory.class, DayBucket.class, BillingLedger.class, LedgerBill.class, LedgerPayment.class,
            ProfileHistory.class, ProfileVersion.class, SegmentMemory.class, ReadingEvent.class,
            RawRecord.class})
    void isSerialisedAsAPojo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void stateRoundTripsThroughItsSerializer() throws Exception {
        ConsumptionHistory h = new ConsumptionHistory();
        for (int d = 20_000; d < 20_500; d++) {
            h.addDay(d, d % 13);
            h.addMonth(d / 30, d % 4, 1.5);
        }
        ConsumptionHistory back = roundTrip(h, ConsumptionHistory.class);
        assertThat(back).usingRecursiveComparison().isEqualTo(h);
        assertThat(back.kwhOn(20_499)).isEqualTo(20_499 % 13);

        BillingLedger l = new BillingLedger();
        l.addBill(new LedgerBill("B1", 1000, 1, 30, 50, 12_345, 88.5));
        l.addPayment(new LedgerPayment("P1", null, 10_000, 2000));
        l.returnPayment("P2", 3000);
        assertThat(roundTrip(l, BillingLedger.class)).usingRecursiveComparison().isEqualTo(l);

        ProfileHistory p = new ProfileHistory();
        ProfileVersion v = new ProfileVersion();
        v.category = CustomerCategory.AGRICULTURAL;
        v.contractEndDay = 21_000;
        v.updatedAt = 5;
        p.add(v);
        assertThat(roundTrip(p, ProfileHistory.class)).usingRecursiveComparison().isEqualTo(p);

        DayBucket b = new DayBucket();
        b.tariff = "commercial";
        b.apply(42L, io.gridtier.schema.ReadingQuality.ESTIMATED, 1, 3.5f);
        b.apply(43L, io.gridtier.schema.ReadingQuality.ACTUAL, 0, 1.25f);
        DayBucket bBack = roundTrip(b, DayBucket.class);
        assertThat(bBack).usingRecursiveComparison().isEqualTo(b);
        assertThat(bBack.apply(42L, io.gridtier.schema.ReadingQuality.CORRECTED, 1, 4f).delta()).isEqualTo(0.5f);
        assertThat(bBack.total()).isEqualTo(5.25);

        SegmentMemory m = new SegmentMemory();
        m.valueTier = ValueTier.KEY_ACCOUNT;
        m.tierSince = 42;
        m.emittedValueScore = 61.5;
        m.emittedChurnScore = 12.25;
        m.emittedCreditScore = 90;
        assertThat(roundTrip(m, SegmentMemory.class)).usingRecursiveComparison().isEqualTo(m);
    }

    @Test
    void aYearOfConsumptionIsAboutTwoKilobytes() throws Exception {
        ConsumptionHistory h = new ConsumptionHistory();
        for (int d = 0; d < 365; d++) {
            h.addDay(20_000 + d, 10);
        }
        assertThat(serialise(h, ConsumptionHistory.class).length).isBetween(2_000, 2_300);
    }

    private static <T> T roundTrip(T value, Class<T> type) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataInputDeserializer in = new DataInputDeserializer(serialise(value, type));
        return serializer.deserialize(in);
    }

    private static <T> byte[] serialise(T value, Class<T> type) throws Exception {
        TypeSerializer<T> serializer = TypeInformation.of(type).createSerializer(new SerializerConfigImpl());
        DataOutputSerializer out = new DataOutputSerializer(256);
        serializer.serialize(value, out);
        return out.getCopyOfBuffer();
    }
}
