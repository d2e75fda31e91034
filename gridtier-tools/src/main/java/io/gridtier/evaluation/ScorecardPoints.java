package io.gridtier.evaluation;

/**
 * Fitted logistic weights as scorecard points. The scorecard adds points times activations and has no
 * intercept, so points proportional to the weights rank customers exactly as the fitted regression does;
 * they are scaled so that all factors fully on add up to {@code total}. A negative weight (a factor that made
 * churn less likely on this data) cannot be a scorecard's points and becomes 0.
 */
public final class ScorecardPoints {
    private ScorecardPoints() {
    }

    /**
     * @return points rounded to hundredths that add up to exactly {@code total} (the rounding remainder goes to
     *         the largest)
     * @throws IllegalArgumentException when no weight is above 0: nothing on this data makes churn likelier
     */
    public static double[] fromWeights(double[] weights, double total) {
        double positive = 0;
        int largest = -1;
        for (int i = 0; i < weights.length; i++) {
            if (weights[i] > 0) {
                positive += weights[i];
                if (largest < 0 || weights[i] > weights[largest]) {
                    largest = i;
                }
            }
        }
        if (largest < 0) {
            throw new IllegalArgumentException("no factor has a positive weight: none makes churn likelier on this data");
        }
        long totalHundredths = Math.round(total * 100);
        long[] h = new long[weights.length];
        long sum = 0;
        for (int i = 0; i < weights.length; i++) {
            h[i] = weights[i] > 0 ? Math.round(totalHundredths * weights[i] / positive) : 0;
            sum += h[i];
        }
        h[largest] += totalHundredths - sum;
        double[] points = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            points[i] = h[i] / 100.0;
        }
        return points;
    }
}
