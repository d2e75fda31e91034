package io.gridtier.model;

import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * An additive scorecard under construction. Contributions are rounded to hundredths as they are
 * added and the score is their sum, so the factors explain the score exactly (CONTRACT.md).
 * Sentences are written only when the factors are asked for: most evaluations change nothing
 * worth writing out, and formatting them is the most expensive part of an evaluation.
 */
final class Scorecard {
    private final ScoreKind kind;
    private final List<String> names = new ArrayList<>(8);
    private final List<Double> values = new ArrayList<>(8);
    private final List<Long> hundredths = new ArrayList<>(8);
    private final List<Supplier<String>> details = new ArrayList<>(8);
    private long totalHundredths;

    Scorecard(ScoreKind kind) {
        this.kind = kind;
    }

    /** Adds a factor: the measured value, the points it adds (negative for a demerit) and its sentence. */
    Scorecard add(String name, double value, double contribution, Supplier<String> detail) {
        long h = Math.round(contribution * 100.0);
        totalHundredths += h;
        names.add(name);
        values.add(finite(value));
        hundredths.add(h);
        details.add(detail);
        return this;
    }

    /** Keeps the score within [min, max] with an explicit adjusting factor, so the sum stays exact. */
    Scorecard bound(double min, double max) {
        long lo = Math.round(min * 100), hi = Math.round(max * 100);
        if (totalHundredths > hi) {
            add("ceiling", max, (hi - totalHundredths) / 100.0,
                    () -> "The score is capped at " + Fmt.num(max) + ".");
        } else if (totalHundredths < lo) {
            add("floor", min, (lo - totalHundredths) / 100.0,
                    () -> "The score cannot fall below " + Fmt.num(min) + ".");
        }
        return this;
    }

    double score() {
        return totalHundredths / 100.0;
    }

    /** The factors, with their sentences written now. */
    List<Factor> factors() {
        List<Factor> factors = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            factors.add(new Factor(kind, names.get(i), values.get(i), hundredths.get(i) / 100.0, details.get(i).get()));
        }
        return factors;
    }

    int size() {
        return names.size();
    }

    /** Points of the named factors together. */
    double pointsOf(String... wanted) {
        long sum = 0;
        for (int i = 0; i < names.size(); i++) {
            for (String n : wanted) {
                if (names.get(i).equals(n)) {
                    sum += hundredths.get(i);
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
