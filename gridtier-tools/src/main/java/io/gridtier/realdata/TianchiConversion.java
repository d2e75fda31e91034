package io.gridtier.realdata;

import java.time.LocalDate;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link TianchiConverter} run wrote and found in the CSV.
 *
 * @param enterprises         enterprise columns in the CSV (one CustomerProfile each)
 * @param days                data rows (one per local day)
 * @param firstDay            the first day of data, null when the CSV has no rows
 * @param lastDay             the last day of data, null when the CSV has no rows
 * @param readings            MeterReading lines written (one per enterprise-day with a value)
 * @param emptyCells          enterprise-days without a value (no reading written)
 * @param lines               lines written in all (profiles + readings)
 * @param placeholders        customer ids of the constant placeholder meters (see
 *                            {@link TianchiConverter#isPlaceholder}), in column order
 * @param withoutReadings     customer ids of enterprises with no value at all, in column order
 * @param totalMismatchRows   rows whose {@code total} column differs from the sum of the row's values
 *                            by more than 0.5 (0 when the CSV has no total column)
 */
public record TianchiConversion(int enterprises, int days, LocalDate firstDay, LocalDate lastDay, long readings,
                                long emptyCells, long lines, List<String> placeholders, List<String> withoutReadings,
                                int totalMismatchRows) {

    public TianchiConversion {
        placeholders = List.copyOf(placeholders);
        withoutReadings = List.copyOf(withoutReadings);
    }

    /** A short human report, one figure a line. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "  enterprises (CustomerProfile lines): %,d%n", enterprises));
        b.append(String.format(Locale.ROOT, "  days: %,d (%s .. %s)%n", days, firstDay, lastDay));
        b.append(String.format(Locale.ROOT, "  readings (MeterReading lines, daily): %,d%n", readings));
        b.append(String.format(Locale.ROOT, "  empty cells (no reading written): %,d%n", emptyCells));
        b.append(String.format(Locale.ROOT, "  lines written: %,d%n", lines));
        b.append(String.format(Locale.ROOT, "  enterprises without any value: %,d%s%n", withoutReadings.size(),
                withoutReadings.isEmpty() ? "" : " " + withoutReadings));
        b.append(String.format(Locale.ROOT, "  constant placeholder meters (at most 2 distinct values, all <= 1 kWh): %,d%s%n",
                placeholders.size(), placeholders.isEmpty() ? "" : " " + placeholders));
        b.append(String.format(Locale.ROOT, "  rows whose total differs from the row sum: %,d%n", totalMismatchRows));
        return b.toString();
    }
}
