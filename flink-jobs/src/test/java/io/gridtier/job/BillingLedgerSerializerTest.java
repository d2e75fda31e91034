package io.gridtier.job;

import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.ingest.NoReuseSerializerTestBase;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link BillingLedgerSerializer} under Flink's serializer test suite, every kind of payment (naming a held bill,
 * another bill, none; returned; a placeholder), extreme values, and the migration of ledgers that earlier releases
 * wrote with Flink's POJO serializer.
 */
class BillingLedgerSerializerTest extends NoReuseSerializerTestBase<BillingLedger> {

    BillingLedgerSerializerTest() {
        super(BillingLedger.class, BillingLedgerSerializer.INSTANCE);
    }

    @Override
    protected BillingLedger[] getTestData() {
        BillingLedger extremes = new BillingLedger();
        extremes.addBill(new LedgerBill("", Long.MIN_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE,
                Long.MAX_VALUE, Double.MAX_VALUE));
        extremes.addBill(new LedgerBill("账单-1", Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE, Integer.MAX_VALUE,
                Long.MIN_VALUE, -Double.MIN_VALUE));
        LedgerPayment odd = new LedgerPayment("P-x", "账单-1", Long.MIN_VALUE, Long.MAX_VALUE);
        odd.returnedAt = Long.MAX_VALUE;
        extremes.addPayment(odd);
        return new BillingLedger[] {new BillingLedger(), year(), extremes};
    }

    /** A year of monthly bills and payments, one payment naming no bill, one naming a bill not held, a bounce, a placeholder. */
    static BillingLedger year() {
        BillingLedger l = new BillingLedger();
        for (int m = 0; m < 12; m++) {
            l.addBill(new LedgerBill("B00000001-B" + m, 1_735_689_600_000L + m * 2_592_000_000L, 20_089 + 30 * m,
                    20_118 + 30 * m, 20_138 + 30 * m, 24_000 + m, 300.25 + m));
            l.addPayment(new LedgerPayment("B00000001-P" + m, "B00000001-B" + m, 24_000 + m,
                    1_736_985_600_000L + m * 2_592_000_000L));
        }
        l.addPayment(new LedgerPayment("B00000001-P-cash", null, 5_000, 1_767_225_600_000L));
        l.addPayment(new LedgerPayment("B00000001-P-old", "B00000001-B-pruned", 100, 1_767_225_700_000L));
        l.returnPayment("B00000001-P3", 1_745_000_000_000L);
        l.returnPayment("B00000001-P-later", 1_767_225_800_000L);
        return l;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, -1, 63, -64, 64, 8191, -8192, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void variableLengthIntegersRoundTrip(int small) throws IOException {
        for (long v : new long[] {small, (long) small << 32, Long.MAX_VALUE - small, Long.MIN_VALUE + Math.abs((long) small)}) {
            DataOutputSerializer out = new DataOutputSerializer(16);
            BillingLedgerSerializer.writeVarLong(out, v);
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            assertThat(BillingLedgerSerializer.readVarLong(in)).isEqualTo(v);
            assertThat(in.available()).isZero();
        }
    }

    @Test
    void aPaymentNamingAHeldBillComesBackNamingIt() throws IOException {
        BillingLedger back = roundTrip(year());
        assertThat(back.payments[0].billId).isEqualTo("B00000001-B0");
        assertThat(back.payments[12].billId).isNull();
        assertThat(back.payments[13].billId).isEqualTo("B00000001-B-pruned");
        assertThat(back.payments[3].returnedAt).isEqualTo(1_745_000_000_000L);
        assertThat(back.payments[14].received).isFalse();
        assertThat(back.payments[0].returnedAt).isEqualTo(LedgerPayment.NOT_RETURNED);
    }

    @Test
    void aCorruptLedgerIsAnIoErrorNotAnArrayOfAMillionBills() {
        DataInputDeserializer in = new DataInputDeserializer(new byte[] {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, 0x0F});
        assertThatThrownBy(() -> BillingLedgerSerializer.INSTANCE.deserialize(in))
                .isInstanceOf(IOException.class).hasMessageContaining("corrupt ledger");
    }

    @Test
    void ledgersWrittenByThePojoSerializerAreMigratedOnRestore() throws Exception {
        ValueStateDescriptor<BillingLedger> asBefore = new ValueStateDescriptor<>("ledger", Types.POJO(BillingLedger.class));
        OperatorSubtaskState snapshot;
        try (var before = harness(asBefore)) {
            before.open();
            before.processElement(new StreamRecord<>("B1"));
            snapshot = before.snapshot(1, 1);
        }
        try (var after = harness(Descriptors.ledger())) {
            after.initializeState(snapshot);
            after.open();
            after.processElement(new StreamRecord<>("B1"));
            assertThat(after.extractOutputValues()).hasSize(2);
            assertThat(after.extractOutputValues().get(0)).usingRecursiveComparison().isEqualTo(year());
            assertThat(after.extractOutputValues().get(1).bills).as("and the ledger takes new bills").hasSize(13);
        }
    }

    private static BillingLedger roundTrip(BillingLedger l) throws IOException {
        DataOutputSerializer out = new DataOutputSerializer(256);
        BillingLedgerSerializer.INSTANCE.serialize(l, out);
        return BillingLedgerSerializer.INSTANCE.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, String, BillingLedger> harness(
            ValueStateDescriptor<BillingLedger> descriptor) throws Exception {
        var harness = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new LedgerKeeper(descriptor)), customer -> customer, Types.STRING);
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        return harness;
    }

    /** Stores {@link #year()} on a customer's first element; emits it, then adds a bill and emits it again. */
    private static final class LedgerKeeper extends KeyedProcessFunction<String, String, BillingLedger> {
        private final ValueStateDescriptor<BillingLedger> descriptor;
        private transient ValueState<BillingLedger> ledger;

        LedgerKeeper(ValueStateDescriptor<BillingLedger> descriptor) {
            this.descriptor = descriptor;
        }

        @Override
        public void open(OpenContext openContext) {
            ledger = getRuntimeContext().getState(descriptor);
        }

        @Override
        public void processElement(String customer, Context ctx, Collector<BillingLedger> out) throws Exception {
            BillingLedger l = ledger.value();
            if (l == null) {
                ledger.update(year());
                return;
            }
            out.collect(l);
            BillingLedger more = ledger.value();
            more.addBill(new LedgerBill("B00000001-B12", 1_767_225_600_000L, 20_449, 20_479, 20_499, 1, 2));
            ledger.update(more);
            out.collect(ledger.value());
        }
    }
}
