package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One customer's churn factors as calibration sees them: how far each factor was switched on, 0 to 1 (its
 * contribution in the segment over the points the model gave it), whether the account was closed, and whether
 * the customer churned. Every churn factor is its points times such an activation, so a scorecard with other
 * points gives this customer exactly the sum of the new points times these activations.
 */
public record ChurnFactorRow(String customerId, double[] activation, boolean closed, boolean churned) {

    /** The churn factors calibrate fits, in the order of the model file. {@code closed} is not fitted (it is the outcome). */
    public static final List<String> FITTED = List.of("consumptionDrop", "meterSilence", "latePayments", "arrearsGrowth",
            "contractEnd", "shortTenure", "suspended");

    /** The points of the fitted factors in a model, in {@link #FITTED} order. */
    public static Map<String, Double> points(ModelConfig.Churn c) {
        Map<String, Double> p = new LinkedHashMap<>();
        p.put("consumptionDrop", c.consumptionDrop().points());
        p.put("meterSilence", c.meterSilence().points());
        p.put("latePayments", c.latePayments().points());
        p.put("arrearsGrowth", c.arrearsGrowth().points());
        p.put("contractEnd", c.contractEnd().points());
        p.put("shortTenure", c.shortTenure().points());
        p.put("suspended", c.suspended().points());
        return p;
    }

    /**
     * Reads the activations off a segment written with {@code currentPoints}. A factor the model gave no points
     * has no activation to read; calibration refuses such a model (see {@link ChurnCalibration}).
     */
    public static ChurnFactorRow of(CustomerSegment s, Map<String, Double> currentPoints, boolean churned) {
        double[] a = new double[FITTED.size()];
        boolean closed = false;
        for (Factor f : s.getFactors()) {
            if (f.getScore() != ScoreKind.CHURN) {
                continue;
            }
            if (f.getName().equals("closed")) {
                closed = f.getContribution() > 0;
                continue;
            }
            int i = FITTED.indexOf(f.getName());
            if (i >= 0) {
                double points = currentPoints.get(f.getName());
                // rounded to hundredths in the segment: clamp the rounding back into 0..1
                a[i] = points > 0 ? Math.max(0, Math.min(1, f.getContribution() / points)) : 0;
            }
        }
        return new ChurnFactorRow(s.getCustomerId(), a, closed, churned);
    }

    /**
     * The churn score a scorecard with these points gives: each contribution rounded to hundredths, the
     * closed account's points added, kept within 0-100, as the model's scorecard does.
     */
    public double score(double[] points, double closedPoints) {
        long hundredths = 0;
        for (int i = 0; i < activation.length; i++) {
            hundredths += Math.round(points[i] * activation[i] * 100.0);
        }
        if (closed) {
            hundredths += Math.round(closedPoints * 100.0);
        }
        return Math.max(0, Math.min(10_000, hundredths)) / 100.0;
    }
}
