package io.gridtier.evaluation;

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
 * One row of {@code outcomes.csv}: what happened to a customer, and on which local day. The scores are
 * measured against these ({@link ScoreReport}): a score is only useful if it was high before the outcome.
 *
 * @param date the first local day the outcome holds
 */
public record Outcome(String customerId, Kind outcome, LocalDate date) {
    public static final String HEADER = "customerId,outcome,date";

    /** The outcomes a score predicts. */
    public enum Kind {
        /** The customer left: its consumption fell to a fraction of its seasonal level, or its meter went silent. */
        CHURNED,
        /** The customer stopped paying and its arrears passed 90 days. */
        DEFAULTED,
        /** The customer's trailing twelve months reached its category's key-account size. */
        BECAME_KEY_ACCOUNT
    }

    public Outcome {
        Objects.requireNonNull(customerId, "customerId");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(date, "date");
    }

    String toCsv() {
        return customerId + "," + outcome + "," + date;
    }

    public static void write(Path file, List<Outcome> rows) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER);
            out.write('\n');
            for (Outcome row : rows) {
                out.write(row.toCsv());
                out.write('\n');
            }
        }
    }

    /** Reads an outcomes file; a malformed line is an error that names the file and line. */
    public static List<Outcome> read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty() || !lines.get(0).trim().equals(HEADER)) {
            throw new IOException(file + ": the first line must be the header '" + HEADER + "'");
        }
        List<Outcome> rows = new ArrayList<>(lines.size() - 1);
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 3) {
                    throw new IllegalArgumentException("expected 3 fields, found " + f.length);
                }
                rows.add(new Outcome(f[0], Kind.valueOf(f[1]), LocalDate.parse(f[2])));
            } catch (IllegalArgumentException | DateTimeParseException e) {
                throw new IOException(file + " line " + (i + 1) + ": " + e.getMessage() + ": '" + line + "'", e);
            }
        }
        return rows;
    }
}
