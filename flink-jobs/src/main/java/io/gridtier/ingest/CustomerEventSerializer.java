package io.gridtier.ingest;

import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Flink's serializer for {@link CustomerEvent}, the record that crosses the keyBy once per event.
 * Flink's reflective POJO serializer spent most of its time creating and filling every nested POJO
 * of an event, set or not; this one writes compact fields with no reflection:
 *
 * <pre>
 * kind: byte (ordinal, -1 null) · presence: byte (reading 1, profile 2, bill 4, payment 8, origin 16)
 * customerId: string · timestamp: long · then each present part, its fields in declaration order
 * </pre>
 *
 * Strings are UTF-8 after a variable-length prefix of their byte length + 1 (0 for null; one byte
 * up to 126 bytes), not Flink's StringValue, whose per-call thread-local lookup cost as much as the
 * rest of the event; enums are one byte (ordinal, -1 for null); a nullable number is a presence byte then its value;
 * byte arrays are an int length (-1 for null) then the bytes. Enums go by ordinal, so the snapshot
 * records their constants: a later release may append constants, never reorder or remove them
 * (see {@link Snapshot#resolveSchemaCompatibility}).
 *
 * <p>Wired by {@code @TypeInfo(CustomerEventSerializer.Factory.class)} on {@link CustomerEvent}, so
 * every stream of events (the job, the replay, the tests) uses it. The event is not kept in state.
 */
public final class CustomerEventSerializer extends NoReuseSerializer<CustomerEvent> {
    private static final long serialVersionUID = 1L;

    public static final CustomerEventSerializer INSTANCE = new CustomerEventSerializer();

    private static final int READING = 1, PROFILE = 2, BILL = 4, PAYMENT = 8, ORIGIN = 16;
    private static final CustomerEvent.Kind[] KINDS = CustomerEvent.Kind.values();
    private static final ReadingQuality[] QUALITIES = ReadingQuality.values();
    private static final CustomerCategory[] CATEGORIES = CustomerCategory.values();
    private static final CustomerStatus[] STATUSES = CustomerStatus.values();

    @Override
    public CustomerEvent createInstance() {
        return new CustomerEvent();
    }

    @Override
    public CustomerEvent copy(CustomerEvent from) {
        CustomerEvent e = new CustomerEvent();
        e.kind = from.kind;
        e.customerId = from.customerId;
        e.timestamp = from.timestamp;
        e.reading = from.reading == null ? null : copy(from.reading);
        e.profile = from.profile == null ? null : copy(from.profile);
        e.bill = from.bill == null ? null : copy(from.bill);
        e.payment = from.payment == null ? null : copy(from.payment);
        e.origin = from.origin == null ? null : copy(from.origin);
        return e;
    }

    @Override
    public void serialize(CustomerEvent e, DataOutputView out) throws IOException {
        writeEnum(e.kind, out);
        out.writeByte((e.reading == null ? 0 : READING) | (e.profile == null ? 0 : PROFILE) | (e.bill == null ? 0 : BILL)
                | (e.payment == null ? 0 : PAYMENT) | (e.origin == null ? 0 : ORIGIN));
        writeString(e.customerId, out);
        out.writeLong(e.timestamp);
        if (e.reading != null) {
            ReadingEvent r = e.reading;
            writeString(r.readingId, out);
            writeString(r.meterId, out);
            out.writeLong(r.intervalEnd);
            out.writeInt(r.intervalMinutes);
            out.writeDouble(r.kwh);
            writeEnum(r.quality, out);
        }
        if (e.profile != null) {
            ProfileVersion p = e.profile;
            writeEnum(p.category, out);
            writeString(p.industry, out);
            out.writeDouble(p.voltageKv);
            out.writeBoolean(p.contractCapacityKva != null);
            if (p.contractCapacityKva != null) {
                out.writeDouble(p.contractCapacityKva);
            }
            out.writeInt(p.accountOpenedDay);
            out.writeBoolean(p.contractEndDay != null);
            if (p.contractEndDay != null) {
                out.writeInt(p.contractEndDay);
            }
            writeEnum(p.status, out);
            out.writeLong(p.updatedAt);
            writeString(p.tariff, out);
            out.writeBoolean(p.electricityTheft);
        }
        if (e.bill != null) {
            LedgerBill b = e.bill;
            writeString(b.billId, out);
            out.writeLong(b.issuedAt);
            out.writeInt(b.periodStartDay);
            out.writeInt(b.periodEndDay);
            out.writeInt(b.dueDay);
            out.writeLong(b.amountCents);
            out.writeDouble(b.kwh);
        }
        if (e.payment != null) {
            LedgerPayment p = e.payment;
            writeString(p.paymentId, out);
            writeString(p.billId, out);
            out.writeLong(p.amountCents);
            out.writeLong(p.paidAt);
            out.writeLong(p.returnedAt);
            out.writeBoolean(p.received);
        }
        if (e.origin != null) {
            RawRecord o = e.origin;
            writeString(o.sourceTopic, out);
            out.writeInt(o.partition);
            out.writeLong(o.offset);
            writeBytes(o.key, out);
            writeBytes(o.value, out);
            out.writeLong(o.eventTime);
        }
    }

    @Override
    public CustomerEvent deserialize(DataInputView in) throws IOException {
        CustomerEvent e = new CustomerEvent();
        e.kind = readEnum(KINDS, in);
        int present = in.readByte();
        e.customerId = readString(in);
        e.timestamp = in.readLong();
        if ((present & READING) != 0) {
            ReadingEvent r = new ReadingEvent();
            r.readingId = readString(in);
            r.meterId = readString(in);
            r.intervalEnd = in.readLong();
            r.intervalMinutes = in.readInt();
            r.kwh = in.readDouble();
            r.quality = readEnum(QUALITIES, in);
            e.reading = r;
        }
        if ((present & PROFILE) != 0) {
            ProfileVersion p = new ProfileVersion();
            p.category = readEnum(CATEGORIES, in);
            p.industry = readString(in);
            p.voltageKv = in.readDouble();
            p.contractCapacityKva = in.readBoolean() ? in.readDouble() : null;
            p.accountOpenedDay = in.readInt();
            p.contractEndDay = in.readBoolean() ? in.readInt() : null;
            p.status = readEnum(STATUSES, in);
            p.updatedAt = in.readLong();
            p.tariff = readString(in);
            p.electricityTheft = in.readBoolean();
            e.profile = p;
        }
        if ((present & BILL) != 0) {
            e.bill = new LedgerBill(readString(in), in.readLong(), in.readInt(), in.readInt(), in.readInt(),
                    in.readLong(), in.readDouble());
        }
        if ((present & PAYMENT) != 0) {
            LedgerPayment p = new LedgerPayment();
            p.paymentId = readString(in);
            p.billId = readString(in);
            p.amountCents = in.readLong();
            p.paidAt = in.readLong();
            p.returnedAt = in.readLong();
            p.received = in.readBoolean();
            e.payment = p;
        }
        if ((present & ORIGIN) != 0) {
            RawRecord o = new RawRecord(readString(in), in.readInt(), in.readLong(), readBytes(in), readBytes(in));
            o.eventTime = in.readLong();
            e.origin = o;
        }
        return e;
    }

    @Override
    public TypeSerializerSnapshot<CustomerEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    private static ReadingEvent copy(ReadingEvent from) {
        ReadingEvent r = new ReadingEvent();
        r.readingId = from.readingId;
        r.meterId = from.meterId;
        r.intervalEnd = from.intervalEnd;
        r.intervalMinutes = from.intervalMinutes;
        r.kwh = from.kwh;
        r.quality = from.quality;
        return r;
    }

    private static ProfileVersion copy(ProfileVersion from) {
        ProfileVersion p = new ProfileVersion();
        p.category = from.category;
        p.industry = from.industry;
        p.voltageKv = from.voltageKv;
        p.contractCapacityKva = from.contractCapacityKva;
        p.accountOpenedDay = from.accountOpenedDay;
        p.contractEndDay = from.contractEndDay;
        p.status = from.status;
        p.updatedAt = from.updatedAt;
        p.tariff = from.tariff;
        p.electricityTheft = from.electricityTheft;
        return p;
    }

    private static LedgerBill copy(LedgerBill from) {
        return new LedgerBill(from.billId, from.issuedAt, from.periodStartDay, from.periodEndDay, from.dueDay,
                from.amountCents, from.kwh);
    }

    private static LedgerPayment copy(LedgerPayment from) {
        LedgerPayment p = new LedgerPayment();
        p.paymentId = from.paymentId;
        p.billId = from.billId;
        p.amountCents = from.amountCents;
        p.paidAt = from.paidAt;
        p.returnedAt = from.returnedAt;
        p.received = from.received;
        return p;
    }

    private static RawRecord copy(RawRecord from) {
        RawRecord o = new RawRecord(from.sourceTopic, from.partition, from.offset,
                from.key == null ? null : from.key.clone(), from.value == null ? null : from.value.clone());
        o.eventTime = from.eventTime;
        return o;
    }

    private static void writeEnum(Enum<?> value, DataOutputView out) throws IOException {
        out.writeByte(value == null ? -1 : value.ordinal());
    }

    private static <E extends Enum<E>> E readEnum(E[] constants, DataInputView in) throws IOException {
        int ordinal = in.readByte();
        return ordinal < 0 ? null : constants[ordinal];
    }

    private static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeByte(0);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        writeLength(utf8.length + 1, out);
        out.write(utf8);
    }

    private static String readString(DataInputView in) throws IOException {
        int lengthPlusOne = readLength(in);
        if (lengthPlusOne == 0) {
            return null;
        }
        byte[] utf8 = new byte[lengthPlusOne - 1];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    /** Seven bits a byte, low bits first, the high bit set on every byte but the last. */
    private static void writeLength(int n, DataOutputView out) throws IOException {
        while ((n & ~0x7F) != 0) {
            out.writeByte((n & 0x7F) | 0x80);
            n >>>= 7;
        }
        out.writeByte(n);
    }

    private static int readLength(DataInputView in) throws IOException {
        int n = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            n |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return n;
            }
        }
    }

    private static void writeBytes(byte[] bytes, DataOutputView out) throws IOException {
        if (bytes == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static byte[] readBytes(DataInputView in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    /**
     * The serializer's snapshot: a format version and the constants of the enums written by ordinal.
     * A snapshot whose enums are a prefix of today's (constants appended) reads as is; any other
     * change is incompatible rather than silently misread.
     */
    public static final class Snapshot implements TypeSerializerSnapshot<CustomerEvent> {
        private static final int VERSION = 1;
        private List<String[]> enums = currentEnums();

        @Override
        public int getCurrentVersion() {
            return VERSION;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeInt(enums.size());
            for (String[] names : enums) {
                out.writeInt(names.length);
                for (String name : names) {
                    out.writeUTF(name);
                }
            }
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader classLoader) throws IOException {
            if (readVersion != VERSION) {
                throw new IOException("unknown CustomerEventSerializer snapshot version " + readVersion);
            }
            String[][] read = new String[in.readInt()][];
            for (int i = 0; i < read.length; i++) {
                read[i] = new String[in.readInt()];
                for (int j = 0; j < read[i].length; j++) {
                    read[i][j] = in.readUTF();
                }
            }
            enums = List.of(read);
        }

        @Override
        public TypeSerializer<CustomerEvent> restoreSerializer() {
            return INSTANCE;
        }

        @Override
        public TypeSerializerSchemaCompatibility<CustomerEvent> resolveSchemaCompatibility(
                TypeSerializerSnapshot<CustomerEvent> oldSnapshot) {
            if (!(oldSnapshot instanceof Snapshot old)) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            List<String[]> now = currentEnums();
            if (old.enums.size() != now.size()) {
                return TypeSerializerSchemaCompatibility.incompatible();
            }
            for (int i = 0; i < now.size(); i++) {
                String[] before = old.enums.get(i);
                if (before.length > now.get(i).length || !Arrays.equals(before, Arrays.copyOf(now.get(i), before.length))) {
                    return TypeSerializerSchemaCompatibility.incompatible();
                }
            }
            return TypeSerializerSchemaCompatibility.compatibleAsIs();
        }

        private static List<String[]> currentEnums() {
            return List.of(names(KINDS), names(QUALITIES), names(CATEGORIES), names(STATUSES));
        }

        private static String[] names(Enum<?>[] constants) {
            return Arrays.stream(constants).map(Enum::name).toArray(String[]::new);
        }
    }

    /** The {@link TypeInformation} of {@link CustomerEvent}: its serializer is {@link CustomerEventSerializer}. */
    public static final class Info extends TypeInformation<CustomerEvent> {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isBasicType() {
            return false;
        }

        @Override
        public boolean isTupleType() {
            return false;
        }

        @Override
        public int getArity() {
            return 1;
        }

        @Override
        public int getTotalFields() {
            return 1;
        }

        @Override
        public Class<CustomerEvent> getTypeClass() {
            return CustomerEvent.class;
        }

        @Override
        public boolean isKeyType() {
            return false;
        }

        @Override
        public TypeSerializer<CustomerEvent> createSerializer(SerializerConfig config) {
            return INSTANCE;
        }

        @Override
        public String toString() {
            return "CustomerEvent (hand-written serializer)";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Info;
        }

        @Override
        public int hashCode() {
            return Info.class.hashCode();
        }

        @Override
        public boolean canEqual(Object o) {
            return o instanceof Info;
        }
    }

    /** Named by {@code @TypeInfo} on {@link CustomerEvent}. */
    public static final class Factory extends TypeInfoFactory<CustomerEvent> {
        @Override
        public TypeInformation<CustomerEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new Info();
        }
    }
}
