package io.gridtier.evaluation;

import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * How well a score ranks the customers who reached an outcome above those who did not: the ROC AUC, the
 * chance that a randomly chosen customer with the outcome scores higher than one without (a tie counts half).
 * Computed as the Mann-Whitney U statistic over average ranks, so ties are exact rather than broken by order.
 */
public final class Discrimination {
    private Discrimination() {
    }

    /** A point of the ROC curve: the shares of positives and negatives at or above a score. */
    public record RocPoint(double falsePositiveRate, double truePositiveRate) { }

    /**
     * @param risk     one score per customer, higher meaning the outcome is more likely
     * @param positive whether each customer reached the outcome
     * @return the AUC in [0, 1], or NaN when there are no positives or no negatives to compare
     */
    public static double auc(double[] risk, boolean[] positive) {
        check(risk, positive);
        long positives = count(positive);
        long negatives = positive.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] ranks = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE).rank(risk);
        double positiveRankSum = 0;
        for (int i = 0; i < ranks.length; i++) {
            if (positive[i]) {
                positiveRankSum += ranks[i];
            }
        }
        double u = positiveRankSum - positives * (positives + 1) / 2.0;
        return u / ((double) positives * negatives);
    }

    /**
     * The ROC curve from (0, 0) to (1, 1), one point per distinct score from the highest down (tied customers
     * move the curve together, diagonally), empty when there are no positives or no negatives.
     */
    public static List<RocPoint> rocCurve(double[] risk, boolean[] positive) {
        check(risk, positive);
        long positives = count(positive);
        long negatives = positive.length - positives;
        List<RocPoint> curve = new ArrayList<>();
        if (positives == 0 || negatives == 0) {
            return curve;
        }
        Integer[] order = new Integer[risk.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> risk[i]).reversed());
        curve.add(new RocPoint(0, 0));
        long tp = 0, fp = 0;
        for (int k = 0; k < order.length; ) {
            double value = risk[order[k]];
            while (k < order.length && risk[order[k]] == value) {
                if (positive[order[k]]) {
                    tp++;
                } else {
                    fp++;
                }
                k++;
            }
            curve.add(new RocPoint((double) fp / negatives, (double) tp / positives));
        }
        return curve;
    }

    static long count(boolean[] flags) {
        long n = 0;
        for (boolean f : flags) {
            n += f ? 1 : 0;
        }
        return n;
    }

    static void check(double[] risk, boolean[] positive) {
        if (risk.length != positive.length) {
            throw new IllegalArgumentException(risk.length + " scores but " + positive.length + " outcomes");
        }
        for (double r : risk) {
            if (!Double.isFinite(r)) {
                throw new IllegalArgumentException("a score is not a finite number: " + r);
            }
        }
    }
}
