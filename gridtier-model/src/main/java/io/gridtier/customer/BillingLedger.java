package io.gridtier.customer;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer's bills and payments. Payments are allocated to bills by replaying them in event time:
 * a payment goes first to the bill it names, then to the oldest open bills, and what is left is a
 * credit that settles the next bill issued. Because the allocation is recomputed from the stored
 * bills and payments, the position does not depend on the order in which they arrived, and a
 * position "as of" any moment only counts what had happened by then.
 *
 * <p>Clean-up: at most {@link #MAX_BILLS} bills are kept; older settled bills are dropped together
 * with the part of each payment that settled them ({@link #prune}). The whole ledger is cleared with
 * the customer's state when a closed customer's retention ends.
 *
 * <p>A Flink POJO (arrays of POJOs, no Kryo); the job stores it with its own compact serializer
 * (flink-jobs' {@code BillingLedgerSerializer}).
 */
public class BillingLedger {
    public static final int MAX_BILLS = 24;
    private static final long DAY_MS = 86_400_000L;

    public LedgerBill[] bills = new LedgerBill[0];
    public LedgerPayment[] payments = new LedgerPayment[0];

    public BillingLedger() {
    }

    /** Adds a bill; a bill already held (same id) is replaced only by a later-issued version. Returns false for a duplicate. */
    public boolean addBill(LedgerBill bill) {
        for (int i = 0; i < bills.length; i++) {
            if (bills[i].billId.equals(bill.billId)) {
                if (bill.issuedAt > bills[i].issuedAt) {
                    bills[i] = bill;
                    return true;
                }
                return false;
            }
        }
        bills = Arrays.copyOf(bills, bills.length + 1);
        bills[bills.length - 1] = bill;
        return true;
    }

    /** Adds a payment; returns false when a payment with this id is already held. */
    public boolean addPayment(LedgerPayment payment) {
        for (LedgerPayment held : payments) {
            if (held.paymentId.equals(payment.paymentId)) {
                if (held.received) {
                    return false;
                }
                held.billId = payment.billId;
                held.amountCents = payment.amountCents;
                held.paidAt = payment.paidAt;
                held.received = true;
                return true;
            }
        }
        payments = Arrays.copyOf(payments, payments.length + 1);
        payments[payments.length - 1] = payment;
        return true;
    }

    /** Records that a payment was returned (bounced); it then no longer pays anything from that moment. */
    public boolean returnPayment(String paymentId, long returnedAt) {
        for (LedgerPayment held : payments) {
            if (held.paymentId.equals(paymentId)) {
                if (held.returnedAt != LedgerPayment.NOT_RETURNED) {
                    return false;
                }
                held.returnedAt = returnedAt;
                return true;
            }
        }
        LedgerPayment placeholder = new LedgerPayment();
        placeholder.paymentId = paymentId;
        placeholder.returnedAt = returnedAt;
        placeholder.received = false;
        payments = Arrays.copyOf(payments, payments.length + 1);
        payments[payments.length - 1] = placeholder;
        return true;
    }

    public boolean isEmpty() {
        return bills.length == 0 && payments.length == 0;
    }

    /** The result of replaying the ledger up to a moment. */
    private static final class Allocation {
        final List<LedgerBill> bills;
        final long[] remaining;
        final long[] settledAt;
        /** amount each payment (by index in the payments array) gave to each bill (by index in bills). */
        final Map<Long, Long> given = new HashMap<>();

        Allocation(List<LedgerBill> bills) {
            this.bills = bills;
            this.remaining = new long[bills.size()];
            this.settledAt = new long[bills.size()];
            Arrays.fill(settledAt, Long.MIN_VALUE);
        }

        void give(int payment, int bill, long amount, long at) {
            remaining[bill] -= amount;
            given.merge(((long) payment << 32) | bill, amount, Long::sum);
            if (remaining[bill] == 0) {
                settledAt[bill] = at;
            }
        }
    }

    private static final Comparator<LedgerBill> BY_DUE = Comparator
            .comparingInt((LedgerBill b) -> b.dueDay).thenComparingLong(b -> b.issuedAt).thenComparing(b -> b.billId);

    private Allocation allocate(long asOf) {
        List<LedgerBill> issued = new ArrayList<>();
        for (LedgerBill b : bills) {
            if (b.issuedAt < asOf) {
                issued.add(b);
            }
        }
        issued.sort(BY_DUE);
        Allocation a = new Allocation(issued);
        for (int i = 0; i < issued.size(); i++) {
            a.remaining[i] = issued.get(i).amountCents;
            if (a.remaining[i] <= 0) {
                a.settledAt[i] = issued.get(i).issuedAt;
            }
        }
        Map<String, Integer> billIndex = new HashMap<>();
        for (int i = 0; i < issued.size(); i++) {
            billIndex.put(issued.get(i).billId, i);
        }
        // one timeline of issues and payments; at the same instant a bill comes first
        List<long[]> timeline = new ArrayList<>(); // {time, kind(0 bill,1 payment), index}
        for (int i = 0; i < issued.size(); i++) {
            timeline.add(new long[] {issued.get(i).issuedAt, 0, i});
        }
        for (int p = 0; p < payments.length; p++) {
            LedgerPayment pay = payments[p];
            if (pay.received && pay.paidAt < asOf && !pay.returnedBy(asOf) && pay.amountCents > 0) {
                timeline.add(new long[] {pay.paidAt, 1, p});
            }
        }
        timeline.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1])
                .thenComparing(e -> e[1] == 0 ? issued.get((int) e[2]).billId : payments[(int) e[2]].paymentId));
        Deque<long[]> credit = new ArrayDeque<>(); // {payment index, amount}
        boolean[] open = new boolean[issued.size()];
        for (long[] e : timeline) {
            int idx = (int) e[2];
            if (e[1] == 0) {
                open[idx] = a.remaining[idx] > 0;
                while (open[idx] && !credit.isEmpty()) {
                    long[] c = credit.peekFirst();
                    long x = Math.min(c[1], a.remaining[idx]);
                    a.give((int) c[0], idx, x, e[0]);
                    c[1] -= x;
                    if (c[1] == 0) {
                        credit.pollFirst();
                    }
                    open[idx] = a.remaining[idx] > 0;
                }
            } else {
                LedgerPayment pay = payments[idx];
                long left = pay.amountCents;
                Integer named = pay.billId == null ? null : billIndex.get(pay.billId);
                if (named != null && open[named]) {
                    long x = Math.min(left, a.remaining[named]);
                    a.give(idx, named, x, e[0]);
                    left -= x;
                    open[named] = a.remaining[named] > 0;
                }
                for (int b = 0; b < issued.size() && left > 0; b++) {
                    if (open[b]) {
                        long x = Math.min(left, a.remaining[b]);
                        a.give(idx, b, x, e[0]);
                        left -= x;
                        open[b] = a.remaining[b] > 0;
                    }
                }
                if (left > 0) {
                    credit.addLast(new long[] {idx, left});
                }
            }
        }
        return a;
    }

    /**
     * The position just before {@code asOf}, counting only bills issued and payments made before
     * then; "today" is the local day that ends at {@code asOf} (an evaluation at midnight is the
     * evaluation of the day just ended).
     *
     * @param lateWindow   how many of the latest decided bills count for the credit score
     * @param recentWindow how many count for the churn score (payments deteriorating)
     */
    public LedgerPosition positionAt(long asOf, ZoneId zone, int lateWindow, int recentWindow) {
        Allocation a = allocate(asOf);
        int today = (int) Instant.ofEpochMilli(asOf - 1).atZone(zone).toLocalDate().toEpochDay();
        List<Boolean> decidedLate = new ArrayList<>(); // newest last, in due order
        List<Integer> daysLate = new ArrayList<>();    // the same bills: days unpaid after the due date
        int oldestDpd = 0;
        long arrears = 0;
        long[] byAge = new long[4];
        int unpaidPastDue = 0;
        for (int i = 0; i < a.bills.size(); i++) {
            LedgerBill b = a.bills.get(i);
            boolean settled = a.settledAt[i] != Long.MIN_VALUE;
            boolean duePassed = b.dueDay < today;
            if (settled || duePassed) {
                boolean onTime = settled && dayOf(a.settledAt[i], zone) <= b.dueDay;
                decidedLate.add(!onTime);
                daysLate.add(Math.max(0, (settled ? dayOf(a.settledAt[i], zone) : today) - b.dueDay));
            }
            if (!settled && duePassed) {
                unpaidPastDue++;
                int dpd = today - b.dueDay;
                oldestDpd = Math.max(oldestDpd, dpd);
                arrears += a.remaining[i];
                byAge[dpd <= 30 ? 0 : dpd <= 60 ? 1 : dpd <= 90 ? 2 : 3] += a.remaining[i];
            }
        }
        int decided = Math.min(lateWindow, decidedLate.size());
        int late = 0;
        for (int i = decidedLate.size() - decided; i < decidedLate.size(); i++) {
            late += decidedLate.get(i) ? 1 : 0;
        }
        int worstLate = 0;
        for (int i = decidedLate.size() - decided; i < decidedLate.size(); i++) {
            worstLate = Math.max(worstLate, daysLate.get(i));
        }
        int recentDecided = Math.min(recentWindow, decidedLate.size());
        int recentLate = 0;
        for (int i = decidedLate.size() - recentDecided; i < decidedLate.size(); i++) {
            recentLate += decidedLate.get(i) ? 1 : 0;
        }
        int priorEnd = decidedLate.size() - recentDecided;
        int priorDecided = Math.min(recentWindow, priorEnd);
        int priorLate = 0;
        for (int i = priorEnd - priorDecided; i < priorEnd; i++) {
            priorLate += decidedLate.get(i) ? 1 : 0;
        }
        long yearAgo = asOf - 365 * DAY_MS;
        long billed = 0;
        int billsLastYear = 0;
        int earliestStart = today;
        List<LedgerBill> byIssue = new ArrayList<>(a.bills);
        byIssue.sort(Comparator.comparingLong((LedgerBill b) -> b.issuedAt).thenComparing(b -> b.billId));
        for (LedgerBill b : byIssue) {
            if (b.issuedAt > yearAgo) {
                billed += b.amountCents;
                billsLastYear++;
                earliestStart = Math.min(earliestStart, b.periodStartDay);
            }
        }
        long[] lastAmounts = byIssue.subList(Math.max(0, byIssue.size() - 12), byIssue.size()).stream()
                .mapToLong(b -> b.amountCents).filter(x -> x > 0).sorted().toArray();
        long usual = lastAmounts.length == 0 ? 0
                : lastAmounts.length % 2 == 1 ? lastAmounts[lastAmounts.length / 2]
                : (lastAmounts[lastAmounts.length / 2 - 1] + lastAmounts[lastAmounts.length / 2]) / 2;
        int returned = 0;
        for (LedgerPayment p : payments) {
            if (p.returnedAt != LedgerPayment.NOT_RETURNED && p.returnedAt < asOf && p.returnedAt >= yearAgo) {
                returned++;
            }
        }
        return new LedgerPosition(decided, late, recentDecided, recentLate, priorDecided, priorLate, oldestDpd, worstLate, arrears, byAge, usual,
                billed, billsLastYear, Math.max(1, Math.min(365, today - earliestStart)), returned, unpaidPastDue);
    }

    /**
     * Keeps the ledger bounded: when it holds more than {@link #MAX_BILLS} bills, the oldest settled
     * ones beyond that are dropped, each payment loses the part that settled them, and payments left
     * with nothing (and no return within the year before {@code asOf}) are dropped too. Positions of
     * the bills that stay are unchanged.
     */
    public void prune(long asOf) {
        if (bills.length <= MAX_BILLS) {
            return;
        }
        Allocation a = allocate(Long.MAX_VALUE);
        int excess = a.bills.size() - MAX_BILLS;
        boolean[] drop = new boolean[a.bills.size()];
        for (int i = 0; i < a.bills.size() && excess > 0; i++) {
            if (a.settledAt[i] != Long.MIN_VALUE) {
                drop[i] = true;
                excess--;
            } else {
                break; // never drop past an open bill: the allocation of later payments depends on it
            }
        }
        long[] taken = new long[payments.length];
        for (Map.Entry<Long, Long> g : a.given.entrySet()) {
            int p = (int) (g.getKey() >>> 32);
            int b = (int) (g.getKey() & 0xffffffffL);
            if (drop[b]) {
                taken[p] += g.getValue();
            }
        }
        List<String> droppedIds = new ArrayList<>();
        List<LedgerBill> keptBills = new ArrayList<>();
        for (int i = 0; i < a.bills.size(); i++) {
            if (drop[i]) {
                droppedIds.add(a.bills.get(i).billId);
            } else {
                keptBills.add(a.bills.get(i));
            }
        }
        long yearAgo = asOf - 365 * DAY_MS;
        List<LedgerPayment> keptPayments = new ArrayList<>();
        for (int p = 0; p < payments.length; p++) {
            LedgerPayment pay = payments[p];
            pay.amountCents -= taken[p];
            if (pay.billId != null && droppedIds.contains(pay.billId)) {
                pay.billId = null;
            }
            boolean recentReturn = pay.returnedAt != LedgerPayment.NOT_RETURNED && pay.returnedAt > yearAgo;
            if (pay.amountCents > 0 || !pay.received || recentReturn) {
                keptPayments.add(pay);
            }
        }
        bills = keptBills.toArray(new LedgerBill[0]);
        payments = keptPayments.toArray(new LedgerPayment[0]);
    }

    private static int dayOf(long millis, ZoneId zone) {
        return (int) Instant.ofEpochMilli(millis).atZone(zone).toLocalDate().toEpochDay();
    }
}
