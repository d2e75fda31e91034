package io.gridtier.generator;

import io.gridtier.schema.CustomerCategory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One row of {@code ground-truth.csv}: what the generator scripted for a customer, and from which local day.
 *
 * @param changeStart the local day the scripted change starts; null for STABLE customers
 */
public record GroundTruth(String customerId, CustomerCategory category, Trajectory trajectory, LocalDate changeStart) {
    public static final String HEADER = "customerId,category,trajectory,changeStart";

    public GroundTruth {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(trajectory, "trajectory");
    }

    String toCsv() {
        return customerId + "," + category + "," + trajectory + "," + (changeStart == null ? "" : changeStart);
    }

    static void write(Path file, List<GroundTruth> rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (GroundTruth row : rows) {
                out.write(row.toCsv());
                out.write('\n');
            }
        }
    }

    /** Reads a ground-truth file; a malformed line is an error that names the file and line. */
    public static List<GroundTruth> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException(file + ": the first line must be the header '" + HEADER + "'");
        }
        List<GroundTruth> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 4) {
                    throw new IllegalArgumentException("expected 4 fields, found " + f.length);
                }
                rows.add(new GroundTruth(f[0], CustomerCategory.valueOf(f[1]), Trajectory.valueOf(f[2]),
                        f[3].isEmpty() ? null : LocalDate.parse(f[3])));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage() + ": '" + line + "'", e);
            }
        }
        return rows;
    }
}
