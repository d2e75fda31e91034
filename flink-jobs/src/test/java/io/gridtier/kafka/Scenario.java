package io.gridtier.kafka;

import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentChannel;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.ReadingQuality;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * A small utility scenario, 14 months of daily readings and monthly bills for four customers, built so
 * that segments and alerts come out:
 * <ul>
 *   <li>{@code GIC-RISING}, a commercial customer whose consumption grows ninefold (towards key account);</li>
 *   <li>{@code LI-FADING}, a large industrial customer whose consumption falls by 80% in the last 45 days
 *       (churn risk);</li>
 *   <li>{@code RES-ARREARS}, a household that stops paying after eight bills (credit downgrade);</li>
 *   <li>{@code RES-STEADY}, a household with nothing to report.</li>
 * </ul>
 * Every customer's profile, first reading and first bill are dated on the first day and its last event
 * is the last reading, so that the first and last evaluation days do not depend on the order in which
 * Kafka delivers the three topics (see {@link #clock}).
 */
final class Scenario {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final LocalDate FIRST_DAY = LocalDate.of(2021, 1, 1);
    static final LocalDate LAST_DAY = LocalDate.of(2022, 2, 28);
    /**
     * The event-time disorder the tests allow: longer than the scenario, so that no evaluation runs
     * before all of it is in (Kafka delivers the three topics' partitions in no particular order),
     * and {@link #clock} then releases event time up to the end of the last day at once.
     */
    static final Duration OUT_OF_ORDERNESS = Duration.ofDays(600);
    static final String CLOCK_CUSTOMER = "event-clock";

    static final String RISING = "GIC-RISING";
    static final String FADING = "LI-FADING";
    static final String ARREARS = "RES-ARREARS";
    static final String STEADY = "RES-STEADY";

    enum Input { READINGS, PROFILES, BILLING }

    /** One input record: its topic, its key (the customer) and its record (a bill or payment unwrapped). */
    record Event(Input input, String customerId, SpecificRecord record, Instant eventTime) {
        /** The record as it travels on Kafka (bills and payments inside their BillingEvent envelope). */
        SpecificRecord onTheWire() {
            return input == Input.BILLING ? new BillingEvent(record) : record;
        }
    }

    final List<Event> events = new ArrayList<>();

    Scenario() {
        int days = (int) (LAST_DAY.toEpochDay() - FIRST_DAY.toEpochDay()) + 1;
        customer(RISING, CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, "2012-03-01", 0.85, 99,
                d -> d < 120 ? 1500 : 1500 + 16000.0 * (d - 120) / (days - 121));
        customer(FADING, CustomerCategory.LARGE_INDUSTRIAL, "2005-06-01", 0.70, 99,
                d -> d < days - 45 ? 20000 : 4000);
        customer(ARREARS, CustomerCategory.RESIDENTIAL, "2019-05-01", 0.56, 8, d -> 8);
        customer(STEADY, CustomerCategory.RESIDENTIAL, "2015-01-01", 0.56, 99, d -> 6 + (d % 7 == 0 ? 1 : 0));
        events.sort(Comparator.comparing(Event::eventTime));
    }

    private void customer(String id, CustomerCategory category, String opened, double price, int billsPaid,
                          IntToDoubleFunction kwhOnDay) {
        events.add(new Event(Input.PROFILES, id, CustomerProfile.newBuilder()
                .setCustomerId(id).setCategory(category).setVoltageKv(category == CustomerCategory.RESIDENTIAL ? 0.4 : 10)
                .setAccountOpened(LocalDate.parse(opened)).setStatus(CustomerStatus.ACTIVE)
                .setUpdatedAt(start(FIRST_DAY)).build(), start(FIRST_DAY)));
        for (LocalDate day = FIRST_DAY; !day.isAfter(LAST_DAY); day = day.plusDays(1)) {
            Instant end = start(day.plusDays(1));
            double kwh = Math.round(kwhOnDay.applyAsDouble((int) (day.toEpochDay() - FIRST_DAY.toEpochDay())) * 10) / 10.0;
            events.add(new Event(Input.READINGS, id, new MeterReading(id + "-" + day, id, "M-" + id, end, 1440, kwh,
                    ReadingQuality.ACTUAL), end));
        }
        int bill = 0;
        for (YearMonth month = YearMonth.from(FIRST_DAY).minusMonths(1); month.isBefore(YearMonth.from(LAST_DAY));
             month = month.plusMonths(1)) {
            bill++;
            double kwh = 0;
            for (LocalDate d = month.atDay(1); !d.isAfter(month.atEndOfMonth()); d = d.plusDays(1)) {
                kwh += Math.round(kwhOnDay.applyAsDouble((int) Math.max(0, d.toEpochDay() - FIRST_DAY.toEpochDay())) * 10) / 10.0;
            }
            BigDecimal amount = BigDecimal.valueOf(kwh * price).setScale(2, RoundingMode.HALF_UP);
            // the bill for the month before the scenario is issued on its first day, like the first
            // reading and the profile: whichever topic Kafka delivers first, the customer's first
            // event, and so its first evaluation, is of that day
            LocalDate issuedOn = month.isBefore(YearMonth.from(FIRST_DAY)) ? FIRST_DAY : month.plusMonths(1).atDay(3);
            Instant issued = start(issuedOn).plus(Duration.ofHours(10));
            String billId = id + "-B" + month;
            events.add(new Event(Input.BILLING, id, BillIssued.newBuilder().setBillId(billId).setCustomerId(id)
                    .setPeriodStart(month.atDay(1)).setPeriodEnd(month.atEndOfMonth()).setKwh(kwh).setAmountDue(amount)
                    .setDueDate(issuedOn.plusDays(15)).setIssuedAt(issued).build(), issued));
            if (bill <= billsPaid) {
                Instant paid = start(issuedOn.plusDays(10)).plus(Duration.ofHours(14));
                events.add(new Event(Input.BILLING, id, PaymentReceived.newBuilder().setPaymentId(id + "-P" + month)
                        .setCustomerId(id).setBillId(billId).setAmount(amount).setPaidAt(paid)
                        .setChannel(PaymentChannel.BANK).build(), paid));
            }
        }
    }

    static Instant start(LocalDate day) {
        return day.atStartOfDay(ZONE).toInstant();
    }

    /**
     * A profile of a customer that does not exist, dated so that the watermark it raises (its time
     * less the allowed disorder) is exactly the end of the last day: the evaluation of the last day
     * runs, the next one does not, as at the end of a replay. Sent once the job has read everything
     * else, and again until the outputs are complete (a restored job starts without a watermark).
     * {@code outOfOrderness} is the job's allowed disorder ({@link #OUT_OF_ORDERNESS} in most tests).
     */
    static CustomerProfile clock(Duration outOfOrderness) {
        Instant at = start(LAST_DAY.plusDays(1)).plus(outOfOrderness).plusMillis(1);
        return CustomerProfile.newBuilder().setCustomerId(CLOCK_CUSTOMER).setCategory(CustomerCategory.RESIDENTIAL)
                .setVoltageKv(0.4).setAccountOpened(FIRST_DAY).setStatus(CustomerStatus.ACTIVE).setUpdatedAt(at).build();
    }

    /** The scenario as a JSON-lines replay file, in event-time order. */
    Path writeJsonLines(Path file) throws IOException {
        JsonLineCodec codec = new JsonLineCodec(ZONE);
        List<String> lines = events.stream().map(e -> codec.encode(e.record())).toList();
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }
}
