package io.gridtier.model;

import io.gridtier.customer.LedgerPosition;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.schema.ScoreKind;

/**
 * Credit score (信用评级) from payment history: a starting balance less demerits for late bills, days
 * past due, arrears against the usual bill and returned payments (DOMAIN.md §4).
 */
final class CreditScorecard {
    private CreditScorecard() {
    }

    static Scorecard score(ModelConfig.Credit c, LedgerPosition ledger) {
        Scorecard s = new Scorecard(ScoreKind.CREDIT);
        s.add("startingPoints", c.startingPoints(), c.startingPoints(),
                () -> "Every customer starts from " + Fmt.num(c.startingPoints()) + " points; payment problems take points away.");

        if (ledger.decidedBills() > 0) {
            double share = (double) ledger.lateBills() / ledger.decidedBills();
            s.add("lateBills", share, -c.lateBills().points() * share,
                    () -> ledger.lateBills() + " of the last " + ledger.decidedBills() + " bills were not paid by the due date.");
        } else {
            s.add("lateBills", 0, 0, () -> "No bill has fallen due yet.");
        }

        // the worst delay over the window, not today's: a habitual payer's rating must not cycle with each bill
        int dpd = ledger.worstDaysLate();
        s.add("daysPastDue", dpd, -c.daysPastDue().points() * Scorecard.clamp01((double) dpd / c.daysPastDue().fullAtDays()),
                () -> dpd == 0 ? "No bill paid after its due date."
                        : ledger.oldestDaysPastDue() == dpd ? "The oldest unpaid bill is " + dpd + " days past due."
                        : "Up to " + dpd + " days past due in the last " + ledger.decidedBills() + " bills.");

        double ratio = agedArrearsRatio(c, ledger);
        s.add("arrears", ratio, -c.arrears().points() * Scorecard.clamp01(ratio / c.arrears().fullAtRatio()),
                () -> ledger.arrearsCents() == 0 ? "No arrears."
                        : "Arrears of " + Fmt.money(ledger.arrearsCents()) + " (" + ageing(ledger) + ") weigh "
                        + Fmt.times(ratio) + " the usual bill.");

        int returned = ledger.returnedLastYear();
        s.add("returnedPayments", returned,
                -Math.min(c.returnedPayments().maxPoints(), c.returnedPayments().pointsEach() * returned),
                () -> returned == 0 ? "No payment returned in the last 12 months."
                        : returned + " payment(s) returned unpaid in the last 12 months.");
        return s.bound(0, 100);
    }

    /**
     * Arrears weighted by age ({@code arrears.ageWeights}) relative to the usual bill; arrears without
     * any usual bill to compare with count as the full ratio.
     */
    static double agedArrearsRatio(ModelConfig.Credit c, LedgerPosition ledger) {
        if (ledger.arrearsCents() <= 0) {
            return 0;
        }
        double weighted = 0;
        for (int i = 0; i < 4; i++) {
            weighted += ledger.arrearsByAge()[i] * c.arrears().ageWeights().get(i);
        }
        if (ledger.usualBillCents() <= 0) {
            return weighted > 0 ? c.arrears().fullAtRatio() : 0;
        }
        return weighted / ledger.usualBillCents();
    }

    private static String ageing(LedgerPosition ledger) {
        String[] names = {"0-30", "31-60", "61-90", "90+"};
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            if (ledger.arrearsByAge()[i] > 0) {
                b.append(b.length() == 0 ? "" : ", ").append(Fmt.money(ledger.arrearsByAge()[i])).append(' ')
                        .append(names[i]).append(" days");
            }
        }
        return b.toString();
    }

    /** Why the rating is forced to C whatever the score, or null when nothing forces it. */
    static String hardOverride(ModelConfig.Credit c, LedgerPosition ledger, ProfileVersion profile) {
        if (profile != null && profile.electricityTheft) {
            return "electricity theft on record";
        }
        if (ledger.arrearsCents() > 0 && ledger.oldestDaysPastDue() > c.overrideArrearsDays()) {
            return "arrears older than " + c.overrideArrearsDays() + " days";
        }
        if (ledger.unpaidPastDueBills() >= c.overrideUnpaidBills()) {
            return ledger.unpaidPastDueBills() + " bills past due and unpaid";
        }
        return null;
    }
}
