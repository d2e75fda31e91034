package io.gridtier.model;

import io.gridtier.customer.LedgerPosition;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.ScoreKind;

/**
 * Churn score (流失风险): consumption falling against its seasonal baseline, a silent meter, late
 * payments, growing arrears, an approaching contract end, a short relationship, suspension or
 * closure (DOMAIN.md §5). Capped at 100.
 */
final class ChurnScorecard {
    private ChurnScorecard() {
    }

    static Scorecard score(ModelConfig.Churn c, ModelConfig.Credit credit, ProfileVersion profile, ConsumptionFigures use, LedgerPosition ledger,
                           int asOfDay, double tenureYears) {
        Scorecard s = new Scorecard(ScoreKind.CHURN);

        if (Double.isNaN(use.drop())) {
            s.add("consumptionDrop", 0, 0, () -> "No baseline yet to compare consumption with.");
        } else {
            double weight = use.dropAgainstYear() ? 1 : c.consumptionDrop().fallbackWeight();
            s.add("consumptionDrop", use.drop(),
                    weight * c.consumptionDrop().points() * Scorecard.clamp01(use.drop() / c.consumptionDrop().fullAtDrop()),
                    () -> "Consumption of the last " + c.consumptionDrop().recentDays() + " days read is "
                            + Fmt.signedPct(-use.drop())
                            + (use.dropAgainstYear() ? " against the same days a year earlier."
                            : " against the preceding " + c.consumptionDrop().fallbackBaselineDays()
                            + " days (no year of history yet: seasonal swings cannot be told apart, so it weighs less)."));
        }

        int silent = use.silentDays();
        ModelConfig.Silence rule = c.meterSilence();
        s.add("meterSilence", Math.max(silent, 0),
                silent < 0 ? 0 : rule.points() * Scorecard.clamp01((double) (silent - rule.graceDays())
                        / (rule.fullAtDays() - rule.graceDays())),
                () -> silent < 0 ? "No reading received yet."
                        : silent <= rule.graceDays() ? "Meter reporting normally."
                        : "No reading (or next to nothing) for " + silent + " days.");

        if (ledger.recentDecidedBills() > 0 && ledger.priorDecidedBills() > 0) {
            double recent = (double) ledger.recentLateBills() / ledger.recentDecidedBills();
            double prior = (double) ledger.priorLateBills() / ledger.priorDecidedBills();
            double worse = recent - prior;
            s.add("latePayments", worse, c.latePayments().points() * Scorecard.clamp01(worse),
                    () -> ledger.recentLateBills() + " of the last " + ledger.recentDecidedBills() + " bills paid late, against "
                            + ledger.priorLateBills() + " of the " + ledger.priorDecidedBills() + " before them.");
        } else {
            s.add("latePayments", 0, 0, () -> "Not enough bills yet to see a change in payment habits.");
        }

        double ratio = CreditScorecard.agedArrearsRatio(credit, ledger);
        s.add("arrearsGrowth", ratio, c.arrearsGrowth().points() * Scorecard.clamp01(ratio / c.arrearsGrowth().fullAtRatio()),
                () -> ratio == 0 ? "No arrears." : "Arrears, weighted by age, are " + Fmt.times(ratio) + " the usual bill.");

        if (profile.contractEndDay == null) {
            s.add("contractEnd", -1, 0, () -> "Open-ended contract.");
        } else {
            int left = profile.contractEndDay - asOfDay;
            int horizon = c.contractEnd().horizonDays();
            double share = left <= 0 ? 1 : Scorecard.clamp01(1 - (double) left / horizon);
            s.add("contractEnd", left, c.contractEnd().points() * share,
                    () -> left <= 0 ? "The contract has ended." : "The contract ends in " + left + " days.");
        }

        // graded over years: a 3-year customer still leaves more often than a 10-year one
        ModelConfig.TenureDecay tenure = c.shortTenure();
        s.add("shortTenure", tenureYears, tenure.pointsAt(tenureYears),
                () -> tenureYears < tenure.halfLifeYears()
                        ? "A new customer (" + Fmt.num(tenureYears) + " years): new customers leave more often."
                        : "A customer of " + Fmt.num(tenureYears) + " years: the longer the relationship, the less likely it ends.");

        boolean suspended = profile.status == CustomerStatus.SUSPENDED;
        s.add("suspended", suspended ? 1 : 0, suspended ? c.suspended().points() : 0,
                () -> suspended ? "Supply is suspended." : "Supply is active.");
        if (profile.status == CustomerStatus.CLOSED) {
            s.add("closed", 1, c.closed().points(), () -> "The account is closed.");
        }
        return s.bound(0, 100);
    }
}
