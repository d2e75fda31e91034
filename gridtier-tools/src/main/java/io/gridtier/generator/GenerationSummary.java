package io.gridtier.generator;

import io.gridtier.schema.CustomerCategory;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a generator run wrote: lines by kind, customers by category and trajectory, and the deliberate
 * imperfections injected (so that a test or a reader can check them against the file).
 */
public record GenerationSummary(GeneratorOptions options,
                                Map<LineKind, Long> lines,
                                Map<CustomerCategory, Map<Trajectory, Integer>> customers,
                                int newConnections,
                                int intervalMeters,
                                long delayedUploadBatches,
                                long outOfOrderLines,
                                long maxLatenessMillis,
                                long maxCorrectionLatenessMillis,
                                long outageMeterDays,
                                Duration elapsed) {

    public GenerationSummary {
        lines = Collections.unmodifiableMap(new EnumMap<>(lines));
        Map<CustomerCategory, Map<Trajectory, Integer>> copy = new EnumMap<>(CustomerCategory.class);
        customers.forEach((k, v) -> copy.put(k, Collections.unmodifiableMap(new EnumMap<>(v))));
        customers = Collections.unmodifiableMap(copy);
    }

    GenerationSummary withElapsed(Duration value) {
        return new GenerationSummary(options, lines, customers, newConnections, intervalMeters, delayedUploadBatches,
                outOfOrderLines, maxLatenessMillis, maxCorrectionLatenessMillis, outageMeterDays, value);
    }

    public long lines(LineKind kind) {
        return lines.getOrDefault(kind, 0L);
    }

    public long totalLines() {
        return lines.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Lines injected on purpose that a consumer must dead-letter. */
    public long badLines() {
        return lines(LineKind.BAD_UNPARSEABLE) + lines(LineKind.BAD_NEGATIVE_KWH)
                + lines(LineKind.BAD_MISSING_CUSTOMER_ID);
    }

    public int customers(CustomerCategory category, Trajectory trajectory) {
        return customers.getOrDefault(category, Map.of()).getOrDefault(trajectory, 0);
    }

    public int customers(Trajectory trajectory) {
        int n = 0;
        for (CustomerCategory category : CustomerCategory.values()) {
            n += customers(category, trajectory);
        }
        return n;
    }

    public int customers(CustomerCategory category) {
        int n = 0;
        for (Trajectory trajectory : Trajectory.values()) {
            n += customers(category, trajectory);
        }
        return n;
    }

    /** The customer table, the line counts and the injected imperfections, without timings. */
    public void printTables(PrintStream out) {
        out.printf("%-31s", "Customers");
        for (Trajectory t : Trajectory.values()) {
            out.printf("%11s", t);
        }
        out.printf("%9s%n", "total");
        for (CustomerCategory c : CustomerCategory.values()) {
            out.printf("%-31s", c);
            for (Trajectory t : Trajectory.values()) {
                out.printf("%11d", customers(c, t));
            }
            out.printf("%9d%n", customers(c));
        }
        out.printf("%-31s", "total");
        for (Trajectory t : Trajectory.values()) {
            out.printf("%11d", customers(t));
        }
        out.printf("%9d%n", options.customers());
        out.printf("New connections during the period: %d. Interval meters (%d min): %d.%n%n",
                newConnections, options.fineIntervalMinutes(), intervalMeters);

        out.printf("%-44s%12s%n", "Lines in events.jsonl", "count");
        for (LineKind kind : LineKind.values()) {
            out.printf("%-44s%,12d%n", kind.label(), lines(kind));
        }
        out.printf("%-44s%,12d%n", "total", totalLines());
        out.printf("%nOut of event-time order: %,d lines from %,d late upload batches and re-sends, at most %s behind;%n",
                outOfOrderLines, delayedUploadBatches, hoursMinutes(maxLatenessMillis));
        out.printf("  and the %,d CORRECTED readings, which arrive 1-5 days after their interval (at most %s behind).%n",
                lines(LineKind.READING_CORRECTED), hoursMinutes(maxCorrectionLatenessMillis));
        out.printf("Meter-days without readings (communication outages): %,d.%n", outageMeterDays);
    }

    /** Everything, with the run time. */
    public void print(PrintStream out) {
        printTables(out);
        out.printf("Generated in %.1f s.%n", elapsed.toMillis() / 1000.0);
    }

    private static String hoursMinutes(long millis) {
        long minutes = millis / 60_000L;
        return minutes >= 24 * 60
                ? String.format("%dd %dh %02dm", minutes / 1440, (minutes % 1440) / 60, minutes % 60)
                : String.format("%dh %02dm", minutes / 60, minutes % 60);
    }
}
