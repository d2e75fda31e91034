package io.gridtier.generator;

import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.PaymentChannel;
import io.gridtier.schema.PaymentReceived;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * The synthetic utility's billing system: closes billing periods, issues bills in the nightly billing run and
 * plays each customer's payment behaviour (on time, auto-debit, late, partial, several bills at once, no bill
 * reference, returned debits, defaulting). That behaviour is synthetic: no public per-customer billing or
 * payment data exists.
 */
final class BillingDesk {
    private static final double RETURNED_PAYMENT_CHANCE = 0.01;
    private static final double DETERIORATED_BILL_NEVER_PAID_CHANCE = 0.3;

    private final ZoneId zone;
    private final JsonLineCodec codec;
    private final ArrivalQueue queue;

    BillingDesk(ZoneId zone, JsonLineCodec codec, ArrivalQueue queue) {
        this.zone = zone;
        this.codec = codec;
        this.queue = queue;
    }

    /** At the start of {@code day}: closes the period that ended yesterday, at month end or on closure. */
    void closePeriod(SyntheticCustomer c, LocalDate day) {
        if (c.periodStart == null || !day.isAfter(c.periodStart)) {
            return;
        }
        boolean closing = day.equals(c.closeDate);
        boolean periodOver = day.getDayOfMonth() == 1
                && ChronoUnit.MONTHS.between(c.periodStart.withDayOfMonth(1), day) >= c.billingMonths;
        if (closing || periodOver) {
            c.closedPeriods.add(new SyntheticCustomer.ClosedPeriod(c.periodStart, day.minusDays(1), c.periodKwh,
                    day.plusDays(c.billIssueLagDays)));
            c.periodStart = closing ? null : day;
            c.periodKwh = 0.0;
        }
    }

    /** The billing run, between 02:00 and 04:00: bills for the periods whose issue day has come. */
    void issueBills(SyntheticCustomer c, LocalDate day) {
        while (!c.closedPeriods.isEmpty() && !c.closedPeriods.peek().issueDay().isAfter(day)) {
            SyntheticCustomer.ClosedPeriod period = c.closedPeriods.poll();
            double kwh = Math.round(period.kwh() * 100.0) / 100.0;
            BigDecimal amount = Tariff.amountDue(c.category, c.voltageKv, c.contractCapacityKva, kwh,
                    period.periodStart(), period.periodEnd());
            if (amount.signum() <= 0) {
                continue;
            }
            Instant issuedAt = at(day, RandomDraws.uniformInt(c.rng, 2 * 3600, 4 * 3600));
            LocalDate due = day.plusDays(c.category == CustomerCategory.LARGE_INDUSTRIAL ? 10 : 15);
            String billId = "B-" + c.customerId + "-" + period.periodEnd().format(DateTimeFormatter.BASIC_ISO_DATE);
            BillIssued bill = BillIssued.newBuilder()
                    .setBillId(billId)
                    .setCustomerId(c.customerId)
                    .setPeriodStart(period.periodStart())
                    .setPeriodEnd(period.periodEnd())
                    .setKwh(kwh)
                    .setAmountDue(amount)
                    .setDueDate(due)
                    .setIssuedAt(issuedAt)
                    .build();
            queue.add(LineKind.BILL, issuedAt.toEpochMilli(), codec.encode(bill));
            planPayments(c, bill, day, period.periodEnd().plusDays(1).equals(c.closeDate));
        }
    }

    /** Emits the payments the customer makes on {@code day}. */
    void receivePayments(SyntheticCustomer c, LocalDate day) {
        if (day.equals(c.tokenPaymentDay) && c.unpaidSinceDefault.signum() > 0) {
            // a defaulter's gesture: a fraction of the arrears, naming no bill; the arrears stay over 90 days
            BigDecimal token = c.unpaidSinceDefault
                    .multiply(BigDecimal.valueOf(RandomDraws.uniform(c.rng, 0.1, 0.3)))
                    .setScale(2, RoundingMode.HALF_UP);
            if (token.signum() > 0) {
                emit(payment(c, null, token, day, PaymentChannel.COUNTER, false));
            }
        }
        Iterator<SyntheticCustomer.PlannedPayment> it = c.plannedPayments.iterator();
        while (it.hasNext()) {
            SyntheticCustomer.PlannedPayment planned = it.next();
            if (planned.day().isAfter(day)) {
                continue;
            }
            it.remove();
            if (c.defaultingOn(day) && !planned.evenWhenDefaulting()) {
                c.unpaidSinceDefault = c.unpaidSinceDefault.add(planned.payment().getAmount());
                c.leftUnpaid(planned.billDue());
                continue;
            }
            emit(planned.payment());
        }
    }

    private void emit(PaymentReceived payment) {
        LineKind kind = payment.getReturned() ? LineKind.PAYMENT_RETURNED : LineKind.PAYMENT;
        queue.add(kind, payment.getPaidAt().toEpochMilli(), codec.encode(payment));
    }

    private void planPayments(SyntheticCustomer c, BillIssued bill, LocalDate issued, boolean finalBill) {
        SplittableRandom r = c.rng;
        BigDecimal amount = bill.getAmountDue();
        LocalDate due = bill.getDueDate();
        int dueDays = (int) ChronoUnit.DAYS.between(issued, due);
        if (c.defaultingOn(issued)) {
            c.unpaidSinceDefault = c.unpaidSinceDefault.add(amount);
            c.leftUnpaid(due);
            return;
        }
        if (c.paymentsDeterioratedOn(issued)) {
            if (RandomDraws.chance(r, DETERIORATED_BILL_NEVER_PAID_CHANCE)) {
                return;
            }
            PaymentChannel channel = c.usualChannel == PaymentChannel.AUTO_DEBIT ? PaymentChannel.ONLINE : c.usualChannel;
            plan(c, due.plusDays(RandomDraws.uniformInt(r, 20, 60)), amount, billRef(c, bill), channel, due);
            return;
        }
        switch (c.habit) {
            case AUTO_DEBIT -> {
                LocalDate day = due.minusDays(RandomDraws.uniformInt(r, 0, 2));
                if (!day.isAfter(issued)) {
                    day = issued.plusDays(1);
                }
                PaymentReceived debit = plan(c, day, amount, bill.getBillId(), PaymentChannel.AUTO_DEBIT, due);
                if (RandomDraws.chance(r, RETURNED_PAYMENT_CHANCE)) {
                    // the debit bounces: the bank reverses it and the customer pays again, late
                    LocalDate returnedOn = day.plusDays(RandomDraws.uniformInt(r, 2, 4));
                    PaymentReceived reversal = PaymentReceived.newBuilder(debit)
                            .setPaidAt(at(returnedOn, RandomDraws.uniformInt(r, 10 * 3600, 16 * 3600)))
                            .setReturned(true)
                            .build();
                    // skipping a reversal leaves the debit standing: no bill goes unpaid by it
                    c.plannedPayments.add(new SyntheticCustomer.PlannedPayment(returnedOn, reversal, false, null));
                    plan(c, returnedOn.plusDays(RandomDraws.uniformInt(r, 3, 15)), amount, bill.getBillId(),
                            PaymentChannel.COUNTER, due);
                }
            }
            case ON_TIME -> plan(c, issued.plusDays(RandomDraws.uniformInt(r, 1, dueDays - 1)), amount,
                    billRef(c, bill), c.usualChannel, due);
            case HABITUALLY_LATE -> plan(c, due.plusDays(RandomDraws.uniformInt(r, c.lateDaysMin, c.lateDaysMax)),
                    amount, billRef(c, bill), c.usualChannel, due);
            case PARTIAL -> {
                BigDecimal part = amount.multiply(BigDecimal.valueOf(RandomDraws.uniform(r, 0.4, 0.9)))
                        .setScale(2, RoundingMode.HALF_UP);
                LocalDate first = issued.plusDays(RandomDraws.uniformInt(r, 3, dueDays + 5));
                plan(c, first, part, billRef(c, bill), c.usualChannel, due);
                BigDecimal rest = amount.subtract(part);
                if (rest.signum() > 0) {
                    plan(c, first.plusDays(RandomDraws.uniformInt(r, 15, 45)), rest, null, c.usualChannel, due);
                }
            }
            case SEVERAL_BILLS_AT_ONCE -> {
                c.heldBills.add(bill);
                if (c.heldBills.size() >= c.bundleSize || finalBill) {
                    BigDecimal total = BigDecimal.ZERO;
                    for (BillIssued held : c.heldBills) {
                        total = total.add(held.getAmountDue());
                    }
                    String ref = RandomDraws.chance(r, 0.5) ? bill.getBillId() : null;
                    plan(c, issued.plusDays(RandomDraws.uniformInt(r, 3, 20)), total, ref, c.usualChannel,
                            c.heldBills.get(0).getDueDate());
                    c.heldBills.clear();
                }
            }
        }
    }

    private static String billRef(SyntheticCustomer c, BillIssued bill) {
        return RandomDraws.chance(c.rng, c.namesBillShare) ? bill.getBillId() : null;
    }

    /** @param billDue the due date of the (earliest) bill the payment is for */
    private PaymentReceived plan(SyntheticCustomer c, LocalDate day, BigDecimal amount, String billId,
                                 PaymentChannel channel, LocalDate billDue) {
        PaymentReceived p = payment(c, billId, amount, day, channel, false);
        c.plannedPayments.add(new SyntheticCustomer.PlannedPayment(day, p, false, billDue));
        return p;
    }

    private PaymentReceived payment(SyntheticCustomer c, String billId, BigDecimal amount, LocalDate day,
                                    PaymentChannel channel, boolean returned) {
        return PaymentReceived.newBuilder()
                .setPaymentId(c.nextPaymentId())
                .setCustomerId(c.customerId)
                .setBillId(billId)
                .setAmount(amount)
                .setPaidAt(at(day, secondOfDay(c.rng, channel)))
                .setChannel(channel)
                .setReturned(returned)
                .build();
    }

    /** When each channel books payments: banks debit in a night batch, counters keep office hours. */
    private static int secondOfDay(SplittableRandom r, PaymentChannel channel) {
        return switch (channel) {
            case AUTO_DEBIT -> RandomDraws.uniformInt(r, 3 * 3600, 5 * 3600);
            case BANK -> RandomDraws.uniformInt(r, 9 * 3600, 17 * 3600);
            case COUNTER -> RandomDraws.uniformInt(r, 8 * 3600 + 1800, 17 * 3600 + 1800);
            case ONLINE -> RandomDraws.chance(r, 0.1)
                    ? RandomDraws.uniformInt(r, 0, 7 * 3600 - 1)
                    : RandomDraws.uniformInt(r, 7 * 3600, 24 * 3600 - 1);
            default -> RandomDraws.uniformInt(r, 8 * 3600, 21 * 3600);
        };
    }

    private Instant at(LocalDate day, int secondOfDay) {
        return day.atStartOfDay(zone).plusSeconds(secondOfDay).toInstant();
    }
}
