package io.gridtier.model;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.ValueTier;

/**
 * Turns scores into a value tier, a churn level, a credit rating and the potential-key-account flag
 * without flapping: separate entry and exit thresholds (hysteresis), and a minimum time in a tier
 * or churn level before it changes again (dwell). Credit ratings are lost only some points below
 * their threshold, regained only after a dwell, and forced to C at once by the hard overrides.
 */
final class TierPolicy {
    static final long DAY_MS = 86_400_000L;

    private TierPolicy() {
    }

    // ranks: higher is better for tiers, higher is riskier for churn
    private static final ValueTier[] TIERS = {ValueTier.LOW_VALUE, ValueTier.STANDARD, ValueTier.HIGH_VALUE, ValueTier.KEY_ACCOUNT};
    private static final ChurnRisk[] RISKS = {ChurnRisk.LOW, ChurnRisk.ELEVATED, ChurnRisk.HIGH};

    static int rank(ValueTier t) {
        return switch (t) {
            case LOW_VALUE -> 0;
            case STANDARD -> 1;
            case HIGH_VALUE -> 2;
            case KEY_ACCOUNT -> 3;
        };
    }

    static int rank(ChurnRisk r) {
        return switch (r) {
            case LOW -> 0;
            case ELEVATED -> 1;
            case HIGH -> 2;
        };
    }

    static int rank(CreditRating r) {
        return switch (r) {
            case C -> 0;
            case B -> 1;
            case A -> 2;
        };
    }

    /** enter/exit thresholds by rank; rank 0 has none (-infinity). */
    private static double[][] tierBands(ModelConfig.Tiers t) {
        return new double[][] {
                {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                {t.standard().enter(), t.standard().exit()},
                {t.highValue().enter(), t.highValue().exit()},
                {t.keyAccount().enter(), t.keyAccount().exit()}};
    }

    private static double[][] churnBands(ModelConfig.Tiers t) {
        return new double[][] {
                {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
                {t.churnElevated().enter(), t.churnElevated().exit()},
                {t.churnHigh().enter(), t.churnHigh().exit()}};
    }

    /** The rank a score reaches on entry thresholds alone, at most {@code maxRank}. */
    private static int entryRank(double score, double[][] bands, int maxRank) {
        for (int r = maxRank; r > 0; r--) {
            if (score >= bands[r][0]) {
                return r;
            }
        }
        return 0;
    }

    /**
     * The next rank with hysteresis: up to the highest rank whose entry threshold the score reaches;
     * down only when the score falls below the current rank's exit threshold, to the highest lower
     * rank whose exit threshold it still meets.
     */
    static int nextRank(int current, double score, double[][] bands, int maxRank) {
        int entry = entryRank(score, bands, maxRank);
        if (entry > current) {
            return entry;
        }
        if (current > maxRank || score < bands[current][1]) {
            for (int r = Math.min(current - 1, maxRank); r > 0; r--) {
                if (score >= bands[r][1]) {
                    return r;
                }
            }
            return 0;
        }
        return current;
    }

    /** The value tier after this evaluation. {@code free} (warm-up) ignores hysteresis and dwell. */
    static ValueTier valueTier(ModelConfig.Tiers t, ValueTier current, long since, double score,
                               boolean keyAccountEligible, long asOf, boolean free) {
        double[][] bands = tierBands(t);
        int maxRank = keyAccountEligible ? 3 : 2;
        if (current == null || free) {
            return TIERS[entryRank(score, bands, maxRank)];
        }
        int next = nextRank(rank(current), score, bands, maxRank);
        if (next != rank(current) && asOf - since < t.minDwellDays() * DAY_MS) {
            return current;
        }
        return TIERS[next];
    }

    static ChurnRisk churnRisk(ModelConfig.Tiers t, ChurnRisk current, long since, double score, long asOf, boolean free) {
        double[][] bands = churnBands(t);
        if (current == null || free) {
            return RISKS[entryRank(score, bands, 2)];
        }
        int next = nextRank(rank(current), score, bands, 2);
        if (next != rank(current) && asOf - since < t.churnMinDwellDays() * DAY_MS) {
            return current;
        }
        return RISKS[next];
    }

    static CreditRating creditRating(ModelConfig.Credit c, CreditRating current, long since, double score,
                                     String override, long asOf, boolean free) {
        if (override != null) {
            return CreditRating.C;
        }
        CreditRating plain = score >= c.ratingA() ? CreditRating.A : score >= c.ratingB() ? CreditRating.B : CreditRating.C;
        if (current == null || free) {
            return plain;
        }
        if (rank(plain) > rank(current)) {
            return asOf - since >= c.upgradeAfterDays() * DAY_MS ? plain : current;
        }
        double m = c.downgradeMargin();
        CreditRating kept = score >= c.ratingA() - m ? CreditRating.A : score >= c.ratingB() - m ? CreditRating.B : CreditRating.C;
        return rank(kept) < rank(current) ? kept : current;
    }

    /**
     * @param onCourse the customer's category can have key accounts and its consumption, grown at its
     *                 current rate, reaches the category's key-account minimum
     */
    static boolean potentialKeyAccount(ModelConfig.Tiers t, boolean current, long since, ValueTier tier,
                                       double currentShare, double potentialShare, boolean onCourse, long asOf,
                                       boolean free) {
        ModelConfig.PotentialRule r = t.potentialKeyAccount();
        boolean next;
        if (tier == ValueTier.KEY_ACCOUNT || !onCourse) {
            next = false;
        } else if (current) {
            next = currentShare >= r.currentShareExit() && potentialShare >= r.potentialShareExit();
        } else {
            next = currentShare >= r.currentShareEnter() && potentialShare >= r.potentialShareEnter();
        }
        boolean dwellServed = free || since == Long.MIN_VALUE || asOf - since >= t.minDwellDays() * DAY_MS
                || tier == ValueTier.KEY_ACCOUNT;
        return next != current && !dwellServed ? current : next;
    }
}
