package io.gridtier.generator;

/**
 * How a kind of customer uses electricity over the week, the year, the Chinese holidays and the day: the
 * shapes published for utility load classes (continuous process industry, shift work, offices, shops,
 * households, irrigation, aquaculture), simplified.
 */
enum UsagePattern {
    CONTINUOUS_PROCESS(
            new double[] {1, 1, 1, 1, 1, 0.96, 0.93},
            new double[] {0.96, 0.92, 1.00, 1.00, 1.00, 1.03, 1.07, 1.08, 1.02, 0.99, 0.98, 0.98},
            0.70, 0.92, 0.05, 0.15,
            new double[] {0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.97, 1.0, 1.04, 1.05, 1.05, 1.04,
                          1.02, 1.04, 1.05, 1.05, 1.04, 1.02, 1.0, 1.0, 0.98, 0.97, 0.96, 0.95}),
    SHIFT_WORK(
            new double[] {1, 1, 1, 1, 1, 0.72, 0.48},
            new double[] {0.97, 0.85, 1.00, 1.01, 1.01, 1.03, 1.06, 1.06, 1.02, 1.00, 1.00, 1.01},
            0.25, 0.60, 0.08, 0.20,
            new double[] {0.35, 0.35, 0.35, 0.35, 0.35, 0.38, 0.45, 0.65, 1.0, 1.0, 1.0, 1.0,
                          0.8, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7, 0.55, 0.5, 0.45, 0.4, 0.37}),
    OFFICE(
            new double[] {1, 1, 1, 1, 1, 0.45, 0.36},
            new double[] {1.06, 0.92, 0.90, 0.88, 0.95, 1.10, 1.30, 1.32, 1.10, 0.90, 0.92, 1.02},
            0.35, 0.45, 0.06, 0.60,
            new double[] {0.25, 0.25, 0.25, 0.25, 0.25, 0.27, 0.35, 0.55, 0.9, 1.0, 1.0, 1.0,
                          0.95, 1.0, 1.0, 1.0, 1.0, 0.9, 0.7, 0.5, 0.45, 0.4, 0.32, 0.27}),
    RETAIL(
            new double[] {0.92, 0.92, 0.93, 0.95, 1.04, 1.18, 1.14},
            new double[] {1.08, 1.00, 0.90, 0.88, 0.95, 1.08, 1.26, 1.28, 1.08, 0.92, 0.92, 1.05},
            0.85, 1.10, 0.07, 0.55,
            new double[] {0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.25, 0.35, 0.6, 0.9, 1.0, 1.0,
                          1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.45, 0.28}),
    HOUSEHOLD(
            new double[] {0.97, 0.97, 0.97, 0.97, 1.0, 1.07, 1.07},
            new double[] {1.30, 1.18, 0.92, 0.78, 0.80, 1.00, 1.45, 1.50, 1.05, 0.80, 0.85, 1.15},
            1.00, 1.00, 0.22, 1.00,
            new double[] {0.35, 0.3, 0.3, 0.3, 0.3, 0.35, 0.55, 0.65, 0.5, 0.45, 0.45, 0.6,
                          0.6, 0.5, 0.45, 0.45, 0.55, 0.8, 1.0, 1.0, 1.0, 0.95, 0.75, 0.5}),
    IRRIGATION(
            new double[] {1, 1, 1, 1, 1, 1, 1},
            new double[] {0.25, 0.25, 0.40, 0.90, 1.70, 2.30, 2.40, 2.00, 1.20, 0.50, 0.30, 0.25},
            0.90, 1.00, 0.30, 0.80,
            // pumps run in the night valley period where the tariff allows
            new double[] {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.6, 0.6, 0.6, 0.6, 0.6,
                          0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.7, 1.0, 1.0}),
    AQUACULTURE(
            new double[] {1, 1, 1, 1, 1, 1, 1},
            new double[] {1.10, 1.00, 0.90, 0.90, 1.00, 1.10, 1.30, 1.30, 1.10, 0.90, 0.90, 1.00},
            0.95, 1.00, 0.12, 0.40,
            new double[] {1.2, 1.2, 1.2, 1.2, 1.2, 1.1, 1.0, 0.9, 0.9, 0.9, 0.9, 0.9,
                          0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 1.0, 1.0, 1.1, 1.15, 1.2});

    /** Monday first; mean 1 over the week. */
    final double[] weekday;
    /** Mid-month level, January first; mean 1 over the year. */
    final double[] monthAnchors;
    /** Level in the heart of the Spring Festival holiday, relative to an ordinary day. */
    final double springFestivalDepth;
    /** Level in the National Day golden week (1–7 October). */
    final double nationalDayFactor;
    /** Sigma of the day-to-day lognormal noise. */
    final double noiseSigma;
    /** How strongly a hot or cold spell moves the load (heating and cooling share). */
    final double weatherSensitivity;
    /** Share of the day's kWh in each local hour; sums to 1. */
    final double[] hourShares;

    UsagePattern(double[] weekday, double[] monthAnchors, double springFestivalDepth, double nationalDayFactor,
                 double noiseSigma, double weatherSensitivity, double[] hourWeights) {
        this.weekday = scaledToMean(weekday, 1.0);
        this.monthAnchors = scaledToMean(monthAnchors, 1.0);
        this.springFestivalDepth = springFestivalDepth;
        this.nationalDayFactor = nationalDayFactor;
        this.noiseSigma = noiseSigma;
        this.weatherSensitivity = weatherSensitivity;
        this.hourShares = scaledToMean(hourWeights, 1.0 / hourWeights.length);
    }

    private static double[] scaledToMean(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double scale = mean * values.length / sum;
        double[] scaled = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            scaled[i] = values[i] * scale;
        }
        return scaled;
    }
}
