package io.gridtier.model;

import java.util.Locale;

/**
 * Number formatting for the factors' sentences: what an agent reads aloud.
 *
 * <p>Formats with {@link Locale#US}, whose digits and separators are those of {@link Locale#ROOT}
 * (tested): {@link java.util.Formatter} takes a shortcut for US and otherwise builds new
 * DecimalFormatSymbols and a NumberFormat on every call, which made these few strings a sixth of
 * the keyed operator's time.
 */
final class Fmt {
    /** The locale of every number in a sentence (same output as Locale.ROOT, three times faster). */
    static final Locale LOCALE = Locale.US;

    private Fmt() {
    }

    static String num(double v) {
        if (Math.abs(v) >= 100) {
            return String.format(LOCALE, "%,.0f", v);
        }
        if (v == Math.rint(v)) {
            return String.format(LOCALE, "%.0f", v);
        }
        return String.format(LOCALE, "%.1f", v);
    }

    static String pct(double share) {
        return String.format(LOCALE, "%.0f%%", share * 100);
    }

    static String signedPct(double change) {
        return String.format(LOCALE, "%+.0f%%", change * 100);
    }

    static String money(long cents) {
        return String.format(LOCALE, "%,.2f", cents / 100.0);
    }

    static String times(double ratio) {
        return String.format(LOCALE, "%.1f×", ratio);
    }
}
