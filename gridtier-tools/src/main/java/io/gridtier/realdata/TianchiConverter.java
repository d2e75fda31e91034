package io.gridtier.realdata;

import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Converts the Tianchi "Power AI" data set ({@code ../shared/data/tianchi-power/daily_kwh_wide.csv}:
 * columns {@code record_date,1,...,1454,total}, one row per local day, the value in column N being
 * enterprise N's consumption that day) into GridTier's JSON-lines replay format (CONTRACT.md), so
 * that the real job can be run on real consumption.
 *
 * <p>What is written, in this order (lines ordered by event time):
 * <ol>
 *   <li>one {@code CustomerProfile} per enterprise column: customerId {@code TC-<n>} (n zero-padded to
 *       4 digits, e.g. {@code TC-0007}), category GENERAL_INDUSTRIAL_COMMERCIAL (the data set covers
 *       the enterprises of the Yangzhong high-tech zone; their tariff class is not given), voltageKv 10,
 *       no industry, no contract capacity, no contract end, status ACTIVE, updatedAt the first day of
 *       data at 00:00 local time. <b>accountOpened is not in the data</b>: it is set to the first day
 *       of data ({@code 2015-01-01} on the real file), so every enterprise looks like a customer of
 *       at most 21 months' tenure, which the value and churn scorecards see (tenure points);</li>
 *   <li>one daily {@code MeterReading} per enterprise-day with a value: readingId
 *       {@code TC-<n>-<yyyy-MM-dd>}, meterId {@code TC-<n>-M1}, intervalMinutes 1440, intervalEnd the
 *       next day's 00:00 in Asia/Shanghai, kwh the value, quality ACTUAL. Within a day, readings
 *       follow the column order. An empty cell writes no reading (counted as an empty cell).</li>
 * </ol>
 * The CSV is read and the output written a row at a time; only a few numbers per enterprise are kept
 * (for the placeholder rule). Rows must be in strictly increasing date order (the readings are then
 * ordered by intervalEnd and no reading id repeats); anything else that does not fit - a bad header,
 * a row of the wrong width, a value that is not a non-negative number - stops the conversion with a
 * message naming the line and column.
 *
 * <p><b>Constant placeholder meters.</b> The data set's README says about 74 enterprises are constant
 * 0/1 placeholders (meters with no real data). The rule used here: an enterprise with at least one
 * value whose values over the whole period take at most 2 distinct values, all at most 1 kWh
 * ({@link #isPlaceholder}). On the real file it finds exactly 74, every one of them 1 kWh on every
 * one of the 639 days; the closest real meter (enterprise 794) has 4 distinct values up to 5 kWh, so
 * the rule is not near a boundary.
 */
public final class TianchiConverter {
    /** The time zone of the data (Yangzhong, Jiangsu): days are local days there. */
    public static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    public static final String DATE_COLUMN = "record_date";
    public static final String TOTAL_COLUMN = "total";
    public static final String CUSTOMER_PREFIX = "TC-";
    public static final double VOLTAGE_KV = 10.0;
    /** The largest value (kWh) a constant placeholder meter shows. */
    public static final double PLACEHOLDER_MAX_KWH = 1.0;
    /** The most distinct values a constant placeholder meter shows. */
    public static final int PLACEHOLDER_MAX_DISTINCT = 2;

    private final JsonLineCodec codec = new JsonLineCodec(ZONE);

    /** The customer id of enterprise {@code n}: {@code TC-0007}. */
    public static String customerId(int n) {
        return String.format(Locale.ROOT, "%s%04d", CUSTOMER_PREFIX, n);
    }

    /** The id of enterprise {@code n}'s reading for {@code day}: {@code TC-0007-2015-01-01}. */
    public static String readingId(int n, LocalDate day) {
        return customerId(n) + "-" + day;
    }

    /** The id of enterprise {@code n}'s (only) meter: {@code TC-0007-M1}. */
    public static String meterId(int n) {
        return customerId(n) + "-M1";
    }

    /**
     * The constant-placeholder rule: at least one value, at most {@value #PLACEHOLDER_MAX_DISTINCT}
     * distinct values, all at most {@value #PLACEHOLDER_MAX_KWH} kWh.
     */
    public static boolean isPlaceholder(double[] values) {
        Tracker t = new Tracker();
        for (double v : values) {
            t.add(v);
        }
        return t.isPlaceholder();
    }

    /**
     * Converts {@code csv} into {@code out} (parent folders created). The file is written under a
     * temporary name next to {@code out} and moved into place when complete, so a failed conversion
     * leaves no half-written file behind.
     */
    public TianchiConversion convert(Path csv, Path out) throws IOException {
        Path absolute = out.toAbsolutePath();
        if (absolute.getParent() != null) {
            Files.createDirectories(absolute.getParent());
        }
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        TianchiConversion result;
        try (BufferedReader in = Files.newBufferedReader(csv, StandardCharsets.UTF_8);
             BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            result = convert(in, w, csv.getFileName().toString());
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return result;
    }

    /**
     * Converts a CSV read from {@code in}, writing JSON lines (each ended by a newline) to {@code out}.
     * Does not close either.
     *
     * @param source name of the input, for error messages
     */
    public TianchiConversion convert(BufferedReader in, Writer out, String source) throws IOException {
        String header = in.readLine();
        if (header == null) {
            throw new IllegalArgumentException(source + ": empty file (expected a header "
                    + DATE_COLUMN + ",1,...,N[," + TOTAL_COLUMN + "])");
        }
        String[] names = header.replace("\uFEFF", "").split(",", -1);
        if (names.length < 2 || !names[0].trim().equals(DATE_COLUMN)) {
            throw new IllegalArgumentException(source + ": line 1: the first column must be '" + DATE_COLUMN
                    + "', was '" + names[0] + "'");
        }
        boolean hasTotal = names[names.length - 1].trim().equals(TOTAL_COLUMN);
        int enterprises = names.length - 1 - (hasTotal ? 1 : 0);
        int[] numbers = new int[enterprises];
        for (int i = 0; i < enterprises; i++) {
            String name = names[i + 1].trim();
            try {
                numbers[i] = Integer.parseInt(name);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(source + ": line 1, column " + (i + 2)
                        + ": an enterprise column must be named by its number, was '" + name + "'");
            }
            if (numbers[i] < 0 || numbers[i] > 9999) {
                throw new IllegalArgumentException(source + ": line 1, column " + (i + 2)
                        + ": enterprise number " + numbers[i] + " does not fit in 4 digits");
            }
            for (int j = 0; j < i; j++) {
                if (numbers[j] == numbers[i]) {
                    throw new IllegalArgumentException(source + ": line 1: enterprise " + numbers[i]
                            + " appears twice (columns " + (j + 2) + " and " + (i + 2) + ")");
                }
            }
        }
        if (enterprises == 0) {
            throw new IllegalArgumentException(source + ": line 1: no enterprise column");
        }

        // read the first data row before writing the profiles: their updatedAt is the first day of data
        long lineNumber = 1;
        String row = in.readLine();
        lineNumber++;
        while (row != null && row.isBlank()) {
            row = in.readLine();
            lineNumber++;
        }
        LocalDate firstDay = row == null ? null : parseDate(row, source, lineNumber);
        long lines = 0;
        if (firstDay != null) {
            Instant updatedAt = firstDay.atStartOfDay(ZONE).toInstant();
            for (int number : numbers) {
                CustomerProfile profile = CustomerProfile.newBuilder()
                        .setCustomerId(customerId(number))
                        .setCategory(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL)
                        .setIndustry(null)
                        .setVoltageKv(VOLTAGE_KV)
                        .setContractCapacityKva(null)
                        .setAccountOpened(firstDay)
                        .setContractEnd(null)
                        .setStatus(CustomerStatus.ACTIVE)
                        .setUpdatedAt(updatedAt)
                        .build();
                out.write(codec.encode(profile));
                out.write('\n');
                lines++;
            }
        }

        Tracker[] trackers = new Tracker[enterprises];
        String[] customerIds = new String[enterprises];
        String[] meterIds = new String[enterprises];
        for (int i = 0; i < enterprises; i++) {
            trackers[i] = new Tracker();
            customerIds[i] = customerId(numbers[i]);
            meterIds[i] = meterId(numbers[i]);
        }
        MeterReading reading = new MeterReading();
        reading.setIntervalMinutes(1440);
        reading.setQuality(ReadingQuality.ACTUAL);
        int days = 0;
        long readings = 0, empty = 0;
        int totalMismatches = 0;
        LocalDate previous = null, lastDay = null;
        for (; row != null; row = in.readLine(), lineNumber++) {
            if (row.isBlank()) {
                continue;
            }
            String[] cells = row.split(",", -1);
            if (cells.length != names.length) {
                throw new IllegalArgumentException(source + ": line " + lineNumber + ": " + cells.length
                        + " columns, the header has " + names.length);
            }
            LocalDate day = parseDate(row, source, lineNumber);
            if (previous != null && !day.isAfter(previous)) {
                throw new IllegalArgumentException(source + ": line " + lineNumber + ": day " + day
                        + " does not follow " + previous + " (rows must be in increasing date order, each day once)");
            }
            previous = day;
            lastDay = day;
            days++;
            Instant intervalEnd = day.plusDays(1).atStartOfDay(ZONE).toInstant();
            String dayText = day.toString();
            double rowSum = 0;
            for (int i = 0; i < enterprises; i++) {
                String cell = cells[i + 1].trim();
                if (cell.isEmpty()) {
                    empty++;
                    continue;
                }
                double kwh = parseKwh(cell, source, lineNumber, i + 2);
                rowSum += kwh;
                trackers[i].add(kwh);
                reading.setReadingId(customerIds[i] + "-" + dayText);
                reading.setCustomerId(customerIds[i]);
                reading.setMeterId(meterIds[i]);
                reading.setIntervalEnd(intervalEnd);
                reading.setKwh(kwh);
                out.write(codec.encode(reading));
                out.write('\n');
                readings++;
                lines++;
            }
            if (hasTotal) {
                String total = cells[cells.length - 1].trim();
                if (!total.isEmpty()) {
                    double t = parseKwh(total, source, lineNumber, cells.length);
                    if (Math.abs(t - rowSum) > 0.5) {
                        totalMismatches++;
                    }
                }
            }
        }
        out.flush();

        List<String> placeholders = new ArrayList<>();
        List<String> withoutReadings = new ArrayList<>();
        for (int i = 0; i < enterprises; i++) {
            if (trackers[i].count == 0) {
                withoutReadings.add(customerId(numbers[i]));
            } else if (trackers[i].isPlaceholder()) {
                placeholders.add(customerId(numbers[i]));
            }
        }
        return new TianchiConversion(enterprises, days, firstDay, lastDay, readings, empty, lines, placeholders,
                withoutReadings, totalMismatches);
    }

    private static LocalDate parseDate(String row, String source, long lineNumber) {
        int comma = row.indexOf(',');
        String text = (comma < 0 ? row : row.substring(0, comma)).trim();
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(source + ": line " + lineNumber + ": '" + text
                    + "' is not a date like 2015-01-01");
        }
    }

    private static double parseKwh(String cell, String source, long lineNumber, int column) {
        double v;
        try {
            v = Double.parseDouble(cell);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ": line " + lineNumber + ", column " + column + ": '" + cell
                    + "' is not a number");
        }
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(source + ": line " + lineNumber + ", column " + column + ": " + cell
                    + " is not a consumption (a finite number >= 0)");
        }
        return v;
    }

    /** What the placeholder rule needs of one enterprise: its count, up to 3 distinct values, its maximum. */
    private static final class Tracker {
        long count;
        int distinct;
        final double[] seen = new double[PLACEHOLDER_MAX_DISTINCT + 1];
        double max = Double.NEGATIVE_INFINITY;

        void add(double v) {
            count++;
            max = Math.max(max, v);
            if (distinct > PLACEHOLDER_MAX_DISTINCT) {
                return;
            }
            for (int i = 0; i < distinct; i++) {
                if (seen[i] == v) {
                    return;
                }
            }
            seen[distinct++] = v;
        }

        boolean isPlaceholder() {
            return count > 0 && distinct <= PLACEHOLDER_MAX_DISTINCT && max <= PLACEHOLDER_MAX_KWH;
        }
    }
}
