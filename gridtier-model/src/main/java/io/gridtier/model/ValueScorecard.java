package io.gridtier.model;

import io.gridtier.customer.LedgerPosition;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.schema.ScoreKind;

/**
 * Value score: current value (consumption, billed revenue and load factor against the category's
 * reference) + potential value (growth) + loyalty (tenure) + reliability (credit) — DOMAIN.md §2.
 */
final class ValueScorecard {
    static final String[] CURRENT = {"annualConsumption", "billedRevenue", "loadFactor"};
    static final String[] POTENTIAL = {"growth"};

    private ValueScorecard() {
    }

    static Scorecard score(ModelConfig model, ProfileVersion profile, ConsumptionFigures use, LedgerPosition ledger,
                           double creditScore, double tenureYears) {
        ModelConfig.Value v = model.value();
        ModelConfig.CategoryReference ref = model.reference(profile.category);
        Scorecard s = new Scorecard(ScoreKind.VALUE);

        double ratio = use.annualKwh() / ref.referenceAnnualKwh();
        String basis = use.daysObserved() >= 365 ? "in the last 12 months"
                : use.daysObserved() == 0 ? "(no readings yet)"
                : "a year, extrapolated from " + use.daysObserved() + " days";
        s.add("annualConsumption", use.annualKwh(),
                v.annualConsumption().points() * logScale(ratio, v.annualConsumption().fullAtMultiple()),
                () -> Fmt.num(use.annualKwh()) + " kWh " + basis + " = " + Fmt.times(ratio) + " the "
                        + profile.category + " reference of " + Fmt.num(ref.referenceAnnualKwh()) + " kWh.");

        if (ledger.billsLastYear() > 0) {
            double revenue = ledger.billedLastYearCents() / 100.0 * 365.0 / ledger.billedDays();
            double r = revenue / ref.referenceAnnualRevenue();
            s.add("billedRevenue", revenue, v.billedRevenue().points() * logScale(r, v.billedRevenue().fullAtMultiple()),
                    () -> Fmt.num(revenue) + (ledger.billedDays() >= 365 ? " billed in the last 12 months = "
                            : " a year, extrapolated from " + ledger.billedDays() + " days of bills = ")
                            + Fmt.times(r) + " the category reference.");
        } else {
            s.add("billedRevenue", 0, v.billedRevenue().points() * logScale(ratio, v.billedRevenue().fullAtMultiple()),
                    () -> "No bill in the last 12 months: revenue valued from consumption.");
        }

        s.add("loadFactor", use.loadFactor(), v.loadFactor().points() * Scorecard.clamp01(use.loadFactor()),
                () -> "Load factor " + Fmt.pct(use.loadFactor()) + " (average day against the busiest day).");

        if (Double.isNaN(use.growth())) {
            s.add("growth", 0, 0, () -> "Not enough history to measure growth yet.");
        } else {
            int days = v.growth().recentDays();
            double weight = use.growthAgainstYear() ? 1 : v.growth().fallbackWeight();
            s.add("growth", use.growth(), weight * v.growth().points() * Scorecard.clamp01(use.growth() / v.growth().fullAtGrowth()),
                    () -> "Consumption of the last " + days + " days " + Fmt.signedPct(use.growth())
                            + (use.growthAgainstYear() ? " against the same days a year earlier."
                            : " against the " + days + " days before (no year of history yet: it weighs less)."));
        }

        s.add("tenure", tenureYears, v.tenure().points() * Scorecard.clamp01(tenureYears / v.tenure().fullAtYears()),
                () -> "Customer for " + Fmt.num(tenureYears) + " years.");

        s.add("reliability", creditScore, v.reliability().points() * creditScore / 100.0,
                () -> "Credit score " + Fmt.num(creditScore) + " of 100.");
        return s.bound(0, 100);
    }

    /** 0 at nothing, 1 at {@code fullAt} times the reference, logarithmic in between. */
    static double logScale(double ratio, double fullAt) {
        if (!(ratio > 0)) {
            return 0;
        }
        return Scorecard.clamp01(Math.log1p(ratio) / Math.log1p(fullAt));
    }
}
