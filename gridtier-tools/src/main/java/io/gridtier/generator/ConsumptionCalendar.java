package io.gridtier.generator;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.SplittableRandom;

/**
 * The expected level of each usage pattern on each day of the simulated period, relative to its annual
 * average: season, weekday, Spring Festival and National Day, and a weather anomaly that all customers share
 * (a hot week raises every household's load together, as it does on a real network).
 */
final class ConsumptionCalendar {
    /** Spring Festival: load winds down from 10 days before, stays low until day 7, recovers by day 20. */
    private static final int WIND_DOWN_FROM = -10;
    private static final int LOW_FROM = -3;
    private static final int LOW_UNTIL = 7;
    private static final int RECOVERED_BY = 20;

    private final double[][] factors;

    ConsumptionCalendar(LocalDate start, int days, SplittableRandom weatherRng) {
        double[] weather = weatherAnomalies(days, weatherRng);
        UsagePattern[] patterns = UsagePattern.values();
        factors = new double[patterns.length][days];
        for (int i = 0; i < days; i++) {
            LocalDate day = start.plusDays(i);
            for (UsagePattern p : patterns) {
                double f = seasonal(p, day) * p.weekday[day.getDayOfWeek().getValue() - 1] * holiday(p, day);
                f *= Math.max(0.6, 1.0 + p.weatherSensitivity * weatherWeight(day) * weather[i]);
                factors[p.ordinal()][i] = f;
            }
        }
    }

    double factor(UsagePattern pattern, int dayIndex) {
        return factors[pattern.ordinal()][dayIndex];
    }

    /** Month anchors sit mid-month; days in between are interpolated so the season has no steps. */
    static double seasonal(UsagePattern pattern, LocalDate day) {
        double position = (day.getMonthValue() - 1) + (day.getDayOfMonth() - 0.5) / day.lengthOfMonth() - 0.5;
        int lower = (int) Math.floor(position);
        double t = position - lower;
        double a = pattern.monthAnchors[Math.floorMod(lower, 12)];
        double b = pattern.monthAnchors[Math.floorMod(lower + 1, 12)];
        return a + (b - a) * t;
    }

    static double holiday(UsagePattern pattern, LocalDate day) {
        double f = 1.0;
        if (ChineseHolidays.isNationalDayWeek(day)) {
            f *= pattern.nationalDayFactor;
        }
        long rel = ChronoUnit.DAYS.between(ChineseHolidays.springFestival(day.getYear()), day);
        double depth = pattern.springFestivalDepth;
        if (rel >= WIND_DOWN_FROM && rel < LOW_FROM) {
            f *= 1.0 + (depth - 1.0) * (rel - WIND_DOWN_FROM) / (double) (LOW_FROM - WIND_DOWN_FROM);
        } else if (rel >= LOW_FROM && rel <= LOW_UNTIL) {
            f *= depth;
        } else if (rel > LOW_UNTIL && rel < RECOVERED_BY) {
            f *= depth + (1.0 - depth) * (rel - LOW_UNTIL) / (double) (RECOVERED_BY - LOW_UNTIL);
        }
        return f;
    }

    /** Weather moves load most in the cooling and heating seasons. */
    private static double weatherWeight(LocalDate day) {
        int m = day.getMonthValue();
        return (m >= 6 && m <= 9) || m == 12 || m <= 2 ? 1.0 : 0.3;
    }

    /** A slowly wandering daily anomaly (AR(1), sd about 0.08), shared by all customers. */
    private static double[] weatherAnomalies(int days, SplittableRandom rng) {
        double[] w = new double[days];
        double x = 0;
        for (int i = 0; i < days; i++) {
            x = 0.85 * x + 0.042 * RandomDraws.gaussian(rng);
            w[i] = x;
        }
        return w;
    }
}
