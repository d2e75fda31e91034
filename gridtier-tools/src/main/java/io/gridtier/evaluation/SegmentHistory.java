package io.gridtier.evaluation;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.CustomerSegment;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Every segment the job wrote for each customer, oldest first, read from a replay's {@code segments.jsonl}
 * through the job's own {@link JsonLineCodec}.
 */
public final class SegmentHistory {
    private final Map<String, List<CustomerSegment>> byCustomer;
    private final long lines;

    public SegmentHistory(Map<String, List<CustomerSegment>> byCustomer, long lines) {
        Map<String, List<CustomerSegment>> sorted = new TreeMap<>();
        byCustomer.forEach((id, list) -> {
            List<CustomerSegment> copy = new ArrayList<>(list);
            copy.sort(Comparator.comparing(CustomerSegment::getAsOf));
            sorted.put(id, List.copyOf(copy));
        });
        this.byCustomer = sorted;
        this.lines = lines;
    }

    public static SegmentHistory of(List<CustomerSegment> segments) {
        Map<String, List<CustomerSegment>> map = new TreeMap<>();
        for (CustomerSegment s : segments) {
            map.computeIfAbsent(s.getCustomerId(), k -> new ArrayList<>()).add(s);
        }
        return new SegmentHistory(map, segments.size());
    }

    /** Reads a segments file; a line that does not decode is an error naming the file and line. */
    public static SegmentHistory read(Path file, ZoneId zone) throws IOException {
        JsonLineCodec codec = new JsonLineCodec(zone);
        Map<String, List<CustomerSegment>> map = new TreeMap<>();
        long number = 0, lines = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                CustomerSegment s;
                try {
                    s = (CustomerSegment) codec.decode(line, CustomerSegment.getClassSchema());
                } catch (BadRecordException e) {
                    throw new IOException(file + " line " + number + ": not a CustomerSegment: " + e.getMessage(), e);
                }
                map.computeIfAbsent(s.getCustomerId(), k -> new ArrayList<>()).add(s);
                lines++;
            }
        }
        return new SegmentHistory(map, lines);
    }

    /** Customers with at least one segment, by id. */
    public Map<String, List<CustomerSegment>> byCustomer() {
        return byCustomer;
    }

    public long segments() {
        return lines;
    }

    /**
     * The local day a segment describes: the job evaluates a day when event time passes its end, and stamps
     * the segment with that instant ({@code asOf}, local midnight after the day), counting only what happened
     * on or before the day.
     */
    public static LocalDate evaluatedDay(CustomerSegment segment, ZoneId zone) {
        return segment.getAsOf().minusMillis(1).atZone(zone).toLocalDate();
    }
}
