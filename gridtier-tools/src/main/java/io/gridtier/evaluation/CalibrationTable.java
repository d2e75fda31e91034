package io.gridtier.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * A score's calibration: the customers in each band of the score and the share of them that reached the
 * outcome. A well-calibrated score has a rate that rises with the band; a flat table means the score does not
 * tell these customers apart. A 0-100 score is cut into ten bands of ten points (its deciles), a rating or a
 * flag into its levels.
 */
public record CalibrationTable(List<Row> rows) {

    /** One band: its label, how many customers fell in it, how many reached the outcome, their mean score. */
    public record Row(String band, long customers, long outcomes, double meanScore) {
        /** NaN for an empty band. */
        public double rate() {
            return customers == 0 ? Double.NaN : (double) outcomes / customers;
        }
    }

    public CalibrationTable {
        rows = List.copyOf(rows);
    }

    /**
     * {@code bands} bands of equal width from {@code low} to {@code high}; each band holds its lower edge, the
     * last also {@code high}; scores outside the range go to the first or last band.
     */
    public static CalibrationTable ofBands(double[] score, boolean[] positive, double low, double high, int bands) {
        Discrimination.check(score, positive);
        if (!(high > low) || bands < 1) {
            throw new IllegalArgumentException("bands need high > low and at least one band");
        }
        long[] customers = new long[bands];
        long[] outcomes = new long[bands];
        double[] sums = new double[bands];
        double width = (high - low) / bands;
        for (int i = 0; i < score.length; i++) {
            int band = (int) Math.floor((score[i] - low) / width);
            band = Math.max(0, Math.min(bands - 1, band));
            customers[band]++;
            outcomes[band] += positive[i] ? 1 : 0;
            sums[band] += score[i];
        }
        List<Row> rows = new ArrayList<>(bands);
        for (int b = 0; b < bands; b++) {
            String label = edge(low + b * width) + "-" + edge(b == bands - 1 ? high : low + (b + 1) * width);
            rows.add(new Row(label, customers[b], outcomes[b], customers[b] == 0 ? Double.NaN : sums[b] / customers[b]));
        }
        return new CalibrationTable(rows);
    }

    /** One row per level, in the order of {@code labels}; {@code level[i]} indexes {@code labels}. */
    public static CalibrationTable ofLevels(int[] level, List<String> labels, boolean[] positive) {
        if (level.length != positive.length) {
            throw new IllegalArgumentException(level.length + " levels but " + positive.length + " outcomes");
        }
        long[] customers = new long[labels.size()];
        long[] outcomes = new long[labels.size()];
        for (int i = 0; i < level.length; i++) {
            customers[level[i]]++;
            outcomes[level[i]] += positive[i] ? 1 : 0;
        }
        List<Row> rows = new ArrayList<>(labels.size());
        for (int l = 0; l < labels.size(); l++) {
            rows.add(new Row(labels.get(l), customers[l], outcomes[l], customers[l] == 0 ? Double.NaN : l));
        }
        return new CalibrationTable(rows);
    }

    private static String edge(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
