package io.gridtier.generator;

import io.gridtier.evaluation.CsvFile;
import io.gridtier.schema.CustomerCategory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
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

    String[] fields() {
        return new String[] {customerId, category.name(), trajectory.name(), changeStart == null ? "" : changeStart.toString()};
    }

    static void write(Path file, List<GroundTruth> rows) throws IOException {
        CsvFile.write(file, HEADER, rows, GroundTruth::fields);
    }

    /** Reads a ground-truth file; a malformed line is an error that names the file and line. */
    public static List<GroundTruth> read(Path file) throws IOException {
        return CsvFile.read(file, HEADER, f -> new GroundTruth(f[0], CustomerCategory.valueOf(f[1]), Trajectory.valueOf(f[2]),
                f[3].isEmpty() ? null : LocalDate.parse(f[3])));
    }
}
