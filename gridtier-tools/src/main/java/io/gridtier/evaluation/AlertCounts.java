package io.gridtier.evaluation;

/**
 * What an alert threshold catches: customers flagged (at or past the model's threshold) against customers who
 * reached the outcome. Precision is the share of flagged customers who reached it; recall the share of those who
 * reached it that were flagged.
 */
public record AlertCounts(long truePositives, long falsePositives, long falseNegatives, long trueNegatives) {

    public static AlertCounts of(boolean[] flagged, boolean[] positive) {
        if (flagged.length != positive.length) {
            throw new IllegalArgumentException(flagged.length + " flags but " + positive.length + " outcomes");
        }
        long tp = 0, fp = 0, fn = 0, tn = 0;
        for (int i = 0; i < flagged.length; i++) {
            if (flagged[i] && positive[i]) {
                tp++;
            } else if (flagged[i]) {
                fp++;
            } else if (positive[i]) {
                fn++;
            } else {
                tn++;
            }
        }
        return new AlertCounts(tp, fp, fn, tn);
    }

    public long flagged() {
        return truePositives + falsePositives;
    }

    /** NaN when nobody is flagged. */
    public double precision() {
        return flagged() == 0 ? Double.NaN : (double) truePositives / flagged();
    }

    /** NaN when nobody reached the outcome. */
    public double recall() {
        long positives = truePositives + falseNegatives;
        return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }
}
