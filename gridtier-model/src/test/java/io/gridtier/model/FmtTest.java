package io.gridtier.model;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The sentences' numbers read exactly as they did when they were formatted with Locale.ROOT. */
class FmtTest {

    @Test
    void formatsNumbersAsAnAgentReadsThem() {
        assertThat(Fmt.num(1_234_567.5)).isEqualTo("1,234,568");
        assertThat(Fmt.num(-250.0)).isEqualTo("-250");
        assertThat(Fmt.num(42.0)).isEqualTo("42");
        assertThat(Fmt.num(3.25)).isEqualTo("3.3");
        assertThat(Fmt.pct(0.425)).isEqualTo("43%");
        assertThat(Fmt.signedPct(0.1)).isEqualTo("+10%");
        assertThat(Fmt.signedPct(-0.35)).isEqualTo("-35%");
        assertThat(Fmt.money(123_456_789)).isEqualTo("1,234,567.89");
        assertThat(Fmt.times(1.25)).isEqualTo("1.3×");
    }

    @Test
    void everyFormatGivesWhatLocaleRootGave() {
        SplittableRandom random = new SplittableRandom(7);
        double[] edges = {0.0, -0.0, 0.05, -0.05, 0.25, -0.45, 99.95, 999.5, -999.5, 1e7, -1e7, 1234567.895,
                Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, Double.MAX_VALUE};
        for (int i = 0; i < 50_000; i++) {
            double v = i < edges.length ? edges[i] : switch (i % 3) {
                case 0 -> random.nextDouble(-2e6, 2e6);
                case 1 -> random.nextInt(-1_000_000, 1_000_000) / 100.0;
                default -> random.nextDouble(-100, 100);
            };
            long cents = (long) (v * 100);
            assertThat(Fmt.num(v)).isEqualTo(Math.abs(v) >= 100 ? root("%,.0f", v)
                    : v == Math.rint(v) ? root("%.0f", v) : root("%.1f", v));
            assertThat(Fmt.pct(v)).isEqualTo(root("%.0f%%", v * 100));
            assertThat(Fmt.signedPct(v)).isEqualTo(root("%+.0f%%", v * 100));
            assertThat(Fmt.money(cents)).isEqualTo(root("%,.2f", cents / 100.0));
            assertThat(Fmt.times(v)).isEqualTo(root("%.1f×", v));
        }
    }

    private static String root(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }
}
