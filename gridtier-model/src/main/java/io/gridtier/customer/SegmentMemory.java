package io.gridtier.customer;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.ValueTier;

/**
 * What the tier policy remembers between evaluations: the tier, churn level, rating and flag in
 * force and since when (for hysteresis and dwell), and what was last written out (to emit only
 * changes). Flink POJO.
 *
 * <p>Clean-up: cleared with the customer's state when a closed customer's retention ends.
 */
public class SegmentMemory {
    public static final long NEVER = Long.MIN_VALUE;

    /** Null until the first evaluation. */
    public ValueTier valueTier;
    public long tierSince = NEVER;
    public ChurnRisk churnRisk;
    public long churnSince = NEVER;
    public CreditRating creditRating;
    public long creditSince = NEVER;
    public boolean potentialKeyAccount;
    public long potentialSince = NEVER;
    /** True once the customer has passed warm-up: from then on changes obey dwell and raise alerts. */
    public boolean settled;

    /** Scores and time of the last segment written out. */
    public double emittedValueScore = Double.NaN;
    public double emittedChurnScore = Double.NaN;
    public double emittedCreditScore = Double.NaN;
    public long emittedAt = NEVER;
    /** Hash of the last written actions and category, to notice a change in them. */
    public int emittedShapeHash;

    /** Event time of the first evaluation: warm-up is counted from it. */
    public long firstEvaluatedAt = NEVER;
    /** Event time of the last evaluation. */
    public long evaluatedAt = NEVER;
    /** Latest event time of any profile, bill or payment applied (readings: see the day buckets). */
    public long latestEventAt = NEVER;
    /** The customer's time-of-use tariff (from its latest profile), or null before a profile. */
    public String tariff;
    /** Event time of the pending daily tick, or NEVER when none is scheduled. */
    public long nextTickAt = NEVER;
    /** Local epoch day from which a closed customer's state may be removed, or Integer.MIN_VALUE. */
    public int closedOnDay = Integer.MIN_VALUE;

    public SegmentMemory() {
    }

    public boolean isFirstEvaluation() {
        return valueTier == null;
    }
}
