package io.gridtier.generator;

import java.util.SplittableRandom;

/**
 * The distributions the generator draws from, on top of {@link SplittableRandom}'s uniform draws only, so that
 * the output does not depend on how a JDK implements {@code nextGaussian}.
 */
final class RandomDraws {
    private RandomDraws() {
    }

    static double uniform(SplittableRandom rng, double low, double high) {
        return low + (high - low) * rng.nextDouble();
    }

    /** A whole number in [low, high], both inclusive. */
    static int uniformInt(SplittableRandom rng, int low, int high) {
        return high <= low ? low : low + rng.nextInt(high - low + 1);
    }

    static long uniformLong(SplittableRandom rng, long low, long high) {
        return high <= low ? low : low + (long) (rng.nextDouble() * (high - low + 1));
    }

    static boolean chance(SplittableRandom rng, double probability) {
        return rng.nextDouble() < probability;
    }

    /** Standard normal by Box–Muller. */
    static double gaussian(SplittableRandom rng) {
        double u1 = 1.0 - rng.nextDouble();
        double u2 = rng.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    static double lognormal(SplittableRandom rng, double median, double sigma) {
        return median * Math.exp(sigma * gaussian(rng));
    }

    /** Multiplicative noise whose mean is 1, so noise does not bias annual totals. */
    static double meanOneNoise(SplittableRandom rng, double sigma) {
        return Math.exp(sigma * gaussian(rng) - sigma * sigma / 2.0);
    }

    static double logUniform(SplittableRandom rng, double low, double high) {
        return Math.exp(uniform(rng, Math.log(low), Math.log(high)));
    }

    /** One of {@code values}, with the given relative weights. */
    static <T> T pick(SplittableRandom rng, T[] values, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double x = rng.nextDouble() * total;
        for (int i = 0; i < values.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return values[i];
            }
        }
        return values[values.length - 1];
    }

    static <T> void shuffle(SplittableRandom rng, T[] values) {
        for (int i = values.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T swap = values[i];
            values[i] = values[j];
            values[j] = swap;
        }
    }
}
