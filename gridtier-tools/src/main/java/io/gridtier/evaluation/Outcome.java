package io.gridtier.evaluation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
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

    String[] fields() {
        return new String[] {customerId, outcome.name(), date.toString()};
    }

    public static void write(Path file, List<Outcome> rows) throws IOException {
        CsvFile.write(file, HEADER, rows, Outcome::fields);
    }

    /** Reads an outcomes file; a malformed line is an error that names the file and line. */
    public static List<Outcome> read(Path file) throws IOException {
        return CsvFile.read(file, HEADER, f -> new Outcome(f[0], Kind.valueOf(f[1]), LocalDate.parse(f[2])));
    }
}
