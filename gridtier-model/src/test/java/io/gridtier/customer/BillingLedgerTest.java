package io.gridtier.customer;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BillingLedgerTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static int day(String d) {
        return (int) LocalDate.parse(d).toEpochDay();
    }

    private static long at(String d) {
        return LocalDate.parse(d).atStartOfDay(ZONE).toInstant().toEpochMilli() + 10 * 3_600_000L;
    }

    private static LedgerBill bill(String id, String issued, String due, long cents) {
        return new LedgerBill(id, at(issued), day(issued) - 30, day(issued) - 1, day(due), cents, 100);
    }

    private static LedgerPayment pay(String id, String billId, String paid, long cents) {
        return new LedgerPayment(id, billId, cents, at(paid));
    }

    private static LedgerPosition position(BillingLedger l, String asOf) {
        return l.positionAt(at(asOf), ZONE, 12, 6);
    }

    @Test
    void partialPaymentLeavesTheRestInArrearsAgedFromTheDueDate() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addPayment(pay("P1", "B1", "2024-01-20", 4_000));
        LedgerPosition p = position(l, "2024-03-10");
        assertThat(p.arrearsCents()).isEqualTo(6_000);
        assertThat(p.oldestDaysPastDue()).isEqualTo(45);
        assertThat(p.arrearsByAge()).containsExactly(0, 6_000, 0, 0);
        assertThat(p.lateBills()).isEqualTo(1);
    }

    @Test
    void unpaidPastDueBillsCountPartlyPaidOnesButNotSettledOrNotYetDue() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addBill(bill("B2", "2024-02-05", "2024-02-25", 10_000));
        l.addBill(bill("B3", "2024-03-05", "2024-03-25", 10_000));
        l.addBill(bill("B4", "2024-04-05", "2024-04-25", 10_000));
        l.addPayment(pay("P1", "B2", "2024-02-20", 4_000)); // B2 partly paid: still unpaid
        l.addPayment(pay("P3", "B3", "2024-03-20", 10_000)); // B3 settled
        assertThat(position(l, "2024-04-25").unpaidPastDueBills()).as("B4 due today, not past due").isEqualTo(2);
        assertThat(position(l, "2024-04-27").unpaidPastDueBills()).isEqualTo(3);
    }

    @Test
    void paymentNamingNoBillSettlesTheOldestFirst() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addBill(bill("B2", "2024-02-05", "2024-02-25", 10_000));
        l.addPayment(pay("P1", null, "2024-02-10", 12_000)); // B1 late, 2,000 toward B2
        LedgerPosition p = position(l, "2024-03-10");
        assertThat(p.arrearsCents()).isEqualTo(8_000);
        assertThat(p.decidedBills()).isEqualTo(2);
        assertThat(p.lateBills()).isEqualTo(2);
    }

    @Test
    void paymentNamingABillGoesToItBeforeOlderOnes() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addBill(bill("B2", "2024-02-05", "2024-02-25", 10_000));
        l.addPayment(pay("P1", "B2", "2024-02-20", 10_000));
        LedgerPosition p = position(l, "2024-03-01");
        assertThat(p.arrearsCents()).isEqualTo(10_000); // B1 still open
        assertThat(p.lateBills()).isEqualTo(1);          // B1 late, B2 on time
    }

    @Test
    void onePaymentCanSettleSeveralBillsAndPrepaymentSettlesTheNextBillOnIssue() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addBill(bill("B2", "2024-02-05", "2024-02-25", 10_000));
        l.addPayment(pay("P1", null, "2024-02-20", 30_000));
        l.addBill(bill("B3", "2024-03-05", "2024-03-25", 10_000));
        LedgerPosition p = position(l, "2024-04-01");
        assertThat(p.arrearsCents()).isZero();
        assertThat(p.decidedBills()).isEqualTo(3);
        assertThat(p.lateBills()).isEqualTo(1); // only B1 was late
    }

    @Test
    void returnedPaymentReopensTheBillAndIsCounted() {
        BillingLedger l = new BillingLedger();
        l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000));
        l.addPayment(pay("P1", "B1", "2024-01-20", 10_000));
        assertThat(position(l, "2024-01-30").arrearsCents()).isZero();
        l.returnPayment("P1", at("2024-02-01"));
        LedgerPosition p = position(l, "2024-02-10");
        assertThat(p.arrearsCents()).isEqualTo(10_000);
        assertThat(p.returnedLastYear()).isEqualTo(1);
        assertThat(position(l, "2024-01-30").arrearsCents()).as("as of before the return").isZero();
    }

    @Test
    void duplicatesAreIgnored() {
        BillingLedger l = new BillingLedger();
        assertThat(l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000))).isTrue();
        assertThat(l.addBill(bill("B1", "2024-01-05", "2024-01-25", 10_000))).isFalse();
        assertThat(l.addPayment(pay("P1", "B1", "2024-01-20", 10_000))).isTrue();
        assertThat(l.addPayment(pay("P1", "B1", "2024-01-20", 10_000))).isFalse();
        assertThat(position(l, "2024-02-01").arrearsCents()).isZero();
    }

    @Test
    void positionDoesNotDependOnArrivalOrder() {
        List<Runnable> steps = new ArrayList<>();
        BillingLedger[] holder = new BillingLedger[1];
        for (int i = 0; i < 10; i++) {
            LocalDate issue = LocalDate.of(2023, 1, 5).plusMonths(i);
            String id = "B" + i;
            steps.add(() -> holder[0].addBill(bill(id, issue.toString(), issue.plusDays(20).toString(), 10_000 + 100L * Integer.parseInt(id.substring(1)))));
            int k = i;
            steps.add(() -> holder[0].addPayment(pay("P" + k, k % 3 == 0 ? null : id, issue.plusDays(10 + 7 * (k % 4)).toString(), 9_000 + 500L * k)));
        }
        holder[0] = new BillingLedger();
        steps.forEach(Runnable::run);
        LedgerPosition expected = position(holder[0], "2023-12-01");
        for (long seed = 0; seed < 20; seed++) {
            List<Runnable> shuffled = new ArrayList<>(steps);
            Collections.shuffle(shuffled, new Random(seed));
            holder[0] = new BillingLedger();
            shuffled.forEach(Runnable::run);
            LedgerPosition p = position(holder[0], "2023-12-01");
            assertThat(p).usingRecursiveComparison().isEqualTo(expected);
        }
    }

    @Test
    void pruningKeepsTheLedgerBoundedAndThePositionOfRecentBills() {
        BillingLedger l = new BillingLedger();
        LocalDate issue = LocalDate.of(2020, 1, 5);
        for (int i = 0; i < 40; i++) {
            l.addBill(bill("B" + i, issue.toString(), issue.plusDays(20).toString(), 10_000));
            if (i != 39) {
                l.addPayment(pay("P" + i, null, issue.plusDays(i % 2 == 0 ? 10 : 30).toString(), 10_000));
            }
            issue = issue.plusMonths(1);
        }
        String asOf = issue.plusDays(40).toString();
        LedgerPosition before = position(l, asOf);
        l.prune(at(asOf));
        assertThat(l.bills.length).isEqualTo(BillingLedger.MAX_BILLS);
        assertThat(l.payments.length).isLessThanOrEqualTo(BillingLedger.MAX_BILLS);
        assertThat(position(l, asOf)).usingRecursiveComparison().isEqualTo(before);
    }
}
