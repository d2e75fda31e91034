package io.gridtier.evaluation;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Lift in the top decile: the outcome rate among the tenth of customers with the highest scores, over the
 * rate among all of them. 1 is no better than picking at random; 10 is the best possible when a tenth or
 * fewer reach the outcome. Customers tied at the decile's edge count pro rata (each in the same share), so the
 * figure does not depend on the order of the input.
 */
public final class TopDecileLift {
    /** The share of customers the top group holds. */
    public static final double SHARE = 0.1;

    private TopDecileLift() {
    }

    /** @return the lift, or NaN when there are no customers or no positives */
    public static double of(double[] risk, boolean[] positive) {
        Discrimination.check(risk, positive);
        int n = risk.length;
        long positives = Discrimination.count(positive);
        if (n == 0 || positives == 0) {
            return Double.NaN;
        }
        double top = n * SHARE;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> risk[i]).reversed());
        double taken = 0, positivesTaken = 0;
        for (int k = 0; k < n && taken < top; ) {
            double value = risk[order[k]];
            int group = 0, groupPositives = 0;
            while (k < n && risk[order[k]] == value) {
                group++;
                groupPositives += positive[order[k]] ? 1 : 0;
                k++;
            }
            double share = Math.min(1.0, (top - taken) / group);
            taken += share * group;
            positivesTaken += share * groupPositives;
        }
        double topRate = positivesTaken / top;
        double baseRate = (double) positives / n;
        return topRate / baseRate;
    }
}
