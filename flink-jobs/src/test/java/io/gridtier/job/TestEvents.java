package io.gridtier.job;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.EventValidator;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentChannel;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.ReadingQuality;
import org.apache.avro.specific.SpecificRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/** Input records for tests, in the contract's shapes. */
final class TestEvents {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final EventValidator VALIDATOR = new EventValidator(Duration.ofHours(1));

    private TestEvents() {
    }

    static Instant startOf(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toInstant();
    }

    /** The event time at which a day is evaluated: the start of the next day. */
    static long dayEnd(String date) {
        return LocalDate.parse(date).plusDays(1).atStartOfDay(ZONE).toInstant().toEpochMilli();
    }

    static CustomerProfile profile(String customerId, CustomerCategory category, CustomerStatus status, String at) {
        return CustomerProfile.newBuilder().setCustomerId(customerId).setCategory(category).setIndustry(null)
                .setVoltageKv(10.0).setContractCapacityKva(null).setAccountOpened(LocalDate.of(2010, 1, 1))
                .setContractEnd(null).setStatus(status).setUpdatedAt(startOf(at)).build();
    }

    /** A daily reading for {@code date} (interval ending at the next midnight). */
    static MeterReading daily(String customerId, String date, double kwh, ReadingQuality quality) {
        Instant end = startOf(date).plus(Duration.ofDays(1));
        return MeterReading.newBuilder().setReadingId(customerId + "-" + date).setCustomerId(customerId)
                .setMeterId(customerId + "-M1").setIntervalEnd(end).setIntervalMinutes(1440).setKwh(kwh)
                .setQuality(quality).build();
    }

    /** A reading of {@code minutes} ending {@code hours} hours into {@code date}, with its own id. */
    static MeterReading interval(String customerId, String readingId, String date, int hours, int minutes, double kwh,
                                 ReadingQuality quality) {
        return MeterReading.newBuilder().setReadingId(readingId).setCustomerId(customerId).setMeterId(customerId + "-M1")
                .setIntervalEnd(startOf(date).plus(Duration.ofHours(hours))).setIntervalMinutes(minutes).setKwh(kwh)
                .setQuality(quality).build();
    }

    static BillIssued bill(String customerId, String billId, String issued, String due, String amount) {
        return BillIssued.newBuilder().setBillId(billId).setCustomerId(customerId)
                .setPeriodStart(LocalDate.parse(issued).minusMonths(1)).setPeriodEnd(LocalDate.parse(issued).minusDays(1))
                .setKwh(100).setAmountDue(new BigDecimal(amount)).setDueDate(LocalDate.parse(due))
                .setIssuedAt(startOf(issued).plus(Duration.ofHours(9))).build();
    }

    static PaymentReceived payment(String customerId, String paymentId, String billId, String paid, String amount) {
        return PaymentReceived.newBuilder().setPaymentId(paymentId).setCustomerId(customerId).setBillId(billId)
                .setAmount(new BigDecimal(amount)).setPaidAt(startOf(paid).plus(Duration.ofHours(10)))
                .setChannel(PaymentChannel.ONLINE).build();
    }

    static CustomerEvent event(SpecificRecord record) {
        try {
            return VALIDATOR.validate(record, Instant.parse("2100-01-01T00:00:00Z").toEpochMilli());
        } catch (BadRecordException e) {
            throw new AssertionError(e);
        }
    }
}
