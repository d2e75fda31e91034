package io.gridtier.ingest;

import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.format.BadRecordException;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.wire.CustomerIds;
import org.apache.avro.specific.SpecificRecord;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * Checks a decoded input record against the contract and the domain (a well-formed customer id, no
 * negative kWh, a known interval, no record dated in the future, sane dates, positive payments)
 * and turns it into the job's {@link CustomerEvent}. A record that fails says why, with the
 * dead-letter reason.
 *
 * <p>A reading's kWh must also be plausible: at most {@code maxKwhPerHour} for each hour of its
 * interval, whatever the customer. That bound is absolute because the validator runs before the
 * keyBy, without the customer's profile (a reading carries neither category nor contract
 * capacity); it keeps absurd values (1E300, which is infinite once a float in the day's bucket)
 * out of the state, where they would turn totals into infinity and, once corrected, NaN.
 */
public final class EventValidator implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Set<Integer> INTERVALS = Set.of(5, 15, 30, 60, 1440);
    private static final LocalDate EARLIEST = LocalDate.of(1970, 1, 1);
    private static final LocalDate LATEST = LocalDate.of(2200, 1, 1);

    /** The default of {@code validation.maxKwhPerHour}: 2 GW, above the largest single industrial load. */
    public static final double DEFAULT_MAX_KWH_PER_HOUR = 2_000_000;

    private final long futureToleranceMs;
    private final double maxKwhPerHour;

    /** With the default plausibility bound ({@link #DEFAULT_MAX_KWH_PER_HOUR}). */
    public EventValidator(Duration futureTolerance) {
        this(futureTolerance, DEFAULT_MAX_KWH_PER_HOUR);
    }

    /** @param maxKwhPerHour a reading above this many kWh per hour of its interval is IMPLAUSIBLE_VALUE */
    public EventValidator(Duration futureTolerance, double maxKwhPerHour) {
        this.futureToleranceMs = futureTolerance.toMillis();
        this.maxKwhPerHour = maxKwhPerHour;
    }

    /** @param now the wall clock (epoch millis) against which "from the future" is judged */
    public CustomerEvent validate(SpecificRecord record, long now) throws BadRecordException {
        CustomerEvent e = new CustomerEvent();
        if (record instanceof MeterReading r) {
            e.kind = CustomerEvent.Kind.READING;
            e.customerId = customerId(r.getCustomerId());
            required("readingId", r.getReadingId());
            required("meterId", r.getMeterId());
            if (!INTERVALS.contains(r.getIntervalMinutes())) {
                throw invalid("intervalMinutes must be one of " + INTERVALS + ", is " + r.getIntervalMinutes());
            }
            if (!(r.getKwh() >= 0)) {
                throw invalid("kwh must be 0 or more, is " + r.getKwh());
            }
            double bound = maxKwhPerHour * r.getIntervalMinutes() / 60.0;
            if (r.getKwh() > bound) {
                throw new BadRecordException(DeadLetterReason.IMPLAUSIBLE_VALUE, "kwh " + r.getKwh() + " in "
                        + r.getIntervalMinutes() + " minutes is above the plausible " + bound + " (validation.maxKwhPerHour: "
                        + maxKwhPerHour + " kWh per hour)");
            }
            e.timestamp = time("intervalEnd", r.getIntervalEnd(), now);
            ReadingEvent re = new ReadingEvent();
            re.readingId = r.getReadingId();
            re.meterId = r.getMeterId();
            re.intervalEnd = e.timestamp;
            re.intervalMinutes = r.getIntervalMinutes();
            re.kwh = r.getKwh();
            re.quality = r.getQuality();
            e.reading = re;
        } else if (record instanceof CustomerProfile p) {
            e.kind = CustomerEvent.Kind.PROFILE;
            e.customerId = customerId(p.getCustomerId());
            if (!(p.getVoltageKv() >= 0)) {
                throw invalid("voltageKv must be 0 or more, is " + p.getVoltageKv());
            }
            if (p.getContractCapacityKva() != null && !(p.getContractCapacityKva() >= 0)) {
                throw invalid("contractCapacityKva must be 0 or more, is " + p.getContractCapacityKva());
            }
            e.timestamp = time("updatedAt", p.getUpdatedAt(), now);
            ProfileVersion v = new ProfileVersion();
            v.category = p.getCategory();
            v.industry = p.getIndustry();
            v.voltageKv = p.getVoltageKv();
            v.contractCapacityKva = p.getContractCapacityKva();
            v.accountOpenedDay = day("accountOpened", p.getAccountOpened());
            v.contractEndDay = p.getContractEnd() == null ? null : day("contractEnd", p.getContractEnd());
            v.status = p.getStatus();
            v.updatedAt = e.timestamp;
            v.tariff = p.getTariff();
            v.electricityTheft = p.getElectricityTheft();
            e.profile = v;
        } else if (record instanceof BillIssued b) {
            e.kind = CustomerEvent.Kind.BILL;
            e.customerId = customerId(b.getCustomerId());
            required("billId", b.getBillId());
            int start = day("periodStart", b.getPeriodStart());
            int end = day("periodEnd", b.getPeriodEnd());
            if (end < start) {
                throw invalid("periodEnd " + b.getPeriodEnd() + " is before periodStart " + b.getPeriodStart());
            }
            if (b.getAmountDue().signum() < 0) {
                throw invalid("amountDue must be 0 or more, is " + b.getAmountDue());
            }
            if (!(b.getKwh() >= 0)) {
                throw invalid("kwh must be 0 or more, is " + b.getKwh());
            }
            e.timestamp = time("issuedAt", b.getIssuedAt(), now);
            e.bill = new LedgerBill(b.getBillId(), e.timestamp, start, end, day("dueDate", b.getDueDate()),
                    cents(b.getAmountDue()), b.getKwh());
        } else if (record instanceof PaymentReceived p) {
            e.kind = CustomerEvent.Kind.PAYMENT;
            e.customerId = customerId(p.getCustomerId());
            required("paymentId", p.getPaymentId());
            if (p.getAmount().signum() <= 0) {
                throw invalid("amount must be above 0, is " + p.getAmount());
            }
            e.timestamp = time("paidAt", p.getPaidAt(), now);
            LedgerPayment lp = new LedgerPayment(p.getPaymentId(), p.getBillId(), cents(p.getAmount()), e.timestamp);
            if (p.getReturned()) {
                lp.returnedAt = e.timestamp;
                lp.received = false;
            }
            e.payment = lp;
        } else {
            throw new BadRecordException(DeadLetterReason.UNKNOWN_TYPE,
                    "a " + record.getSchema().getName() + " is not an input of the segmentation job");
        }
        return e;
    }

    private static String customerId(String id) throws BadRecordException {
        if (id == null || id.isBlank()) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD, "customerId is missing or blank");
        }
        if (!CustomerIds.isValid(id)) {
            throw invalid("customerId '" + abbreviate(id) + "' does not match " + CustomerIds.PATTERN + " ("
                    + CustomerIds.RULE + ")");
        }
        return id;
    }

    /** At most 80 characters of a value for a detail, control characters shown as '?'. */
    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }

    private static void required(String field, String v) throws BadRecordException {
        if (v == null || v.isBlank()) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD, field + " is missing or blank");
        }
    }

    private long time(String field, Instant t, long now) throws BadRecordException {
        if (t == null) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD, field + " is missing");
        }
        if (t.isBefore(EARLIEST.atStartOfDay().toInstant(java.time.ZoneOffset.UTC))) {
            throw invalid(field + " " + t + " is before 1970");
        }
        if (t.toEpochMilli() > now + futureToleranceMs) {
            throw new BadRecordException(DeadLetterReason.FROM_THE_FUTURE,
                    field + " " + t + " is later than now (" + Instant.ofEpochMilli(now) + ") plus the tolerance of "
                            + Duration.ofMillis(futureToleranceMs));
        }
        return t.toEpochMilli();
    }

    private static int day(String field, LocalDate d) throws BadRecordException {
        if (d == null) {
            throw new BadRecordException(DeadLetterReason.MISSING_FIELD, field + " is missing");
        }
        if (d.isBefore(EARLIEST) || !d.isBefore(LATEST)) {
            throw invalid(field + " " + d + " is outside 1970-2199");
        }
        return (int) d.toEpochDay();
    }

    private static long cents(BigDecimal amount) {
        return amount.movePointRight(2).longValueExact();
    }

    private static BadRecordException invalid(String detail) {
        return new BadRecordException(DeadLetterReason.INVALID_VALUE, detail);
    }
}
