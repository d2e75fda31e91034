package io.gridtier.model;

import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;

import java.util.ArrayList;
import java.util.List;

/**
 * An additive scorecard under construction. Contributions are rounded to hundredths as they are
 * added and the score is their sum, so the factors explain the score exactly (CONTRACT.md).
 */
final class Scorecard {
    private final ScoreKind kind;
    private final List<Factor> factors = new ArrayList<>();
    private long totalHundredths;

    Scorecard(ScoreKind kind) {
        this.kind = kind;
    }

    /** Adds a factor: the measured value, the points it adds (negative for a demerit) and a sentence. */
    Scorecard add(String name, double value, double contribution, String detail) {
        long hundredths = Math.round(contribution * 100.0);
        totalHundredths += hundredths;
        factors.add(new Factor(kind, name, finite(value), hundredths / 100.0, detail));
        return this;
    }

    /** Keeps the score within [min, max] with an explicit adjusting factor, so the sum stays exact. */
    Scorecard bound(double min, double max) {
        long lo = Math.round(min * 100), hi = Math.round(max * 100);
        if (totalHundredths > hi) {
            add("ceiling", max, (hi - totalHundredths) / 100.0,
                    "The score is capped at " + Fmt.num(max) + ".");
        } else if (totalHundredths < lo) {
            add("floor", min, (lo - totalHundredths) / 100.0,
                    "The score cannot fall below " + Fmt.num(min) + ".");
        }
        return this;
    }

    double score() {
        return totalHundredths / 100.0;
    }

    List<Factor> factors() {
        return factors;
    }

    /** Points of the named factors together. */
    double pointsOf(String... names) {
        long sum = 0;
        for (Factor f : factors) {
            for (String n : names) {
                if (f.getName().equals(n)) {
                    sum += Math.round(f.getContribution() * 100);
                }
            }
        }
        return sum / 100.0;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0.0;
    }

    /** A share of the way from 0 to 1, clamped: how much of a factor's points apply. */
    static double clamp01(double x) {
        if (Double.isNaN(x)) {
            return 0;
        }
        return Math.max(0, Math.min(1, x));
    }
}
