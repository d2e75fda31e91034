package io.gridtier.model;

import java.util.Locale;

/** Number formatting for the factors' sentences: what an agent reads aloud. */
final class Fmt {
    private Fmt() {
    }

    static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }

    static String pct(double share) {
        return String.format(Locale.ROOT, "%.0f%%", share * 100);
    }

    static String signedPct(double change) {
        return String.format(Locale.ROOT, "%+.0f%%", change * 100);
    }

    static String money(long cents) {
        return String.format(Locale.ROOT, "%,.2f", cents / 100.0);
    }

    static String times(double ratio) {
        return String.format(Locale.ROOT, "%.1f×", ratio);
    }
}
