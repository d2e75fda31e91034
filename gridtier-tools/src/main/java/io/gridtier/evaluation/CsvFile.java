package io.gridtier.evaluation;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * The project's small CSV files (ground-truth.csv, outcomes.csv): a fixed header line, then one row per
 * line, read and written with Jackson's CSV format (quoting included). A malformed row is an error that
 * names the file and the line.
 */
public final class CsvFile {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.WRAP_AS_ARRAY)
            .enable(CsvParser.Feature.TRIM_SPACES).enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    /** Turns the fields of one row into a value; throws IllegalArgumentException (or a parse error) for a bad row. */
    public interface RowParser<T> {
        T parse(String[] fields);
    }

    private CsvFile() {
    }

    /** Writes {@code header} then each row's fields. */
    public static <T> void write(Path file, String header, List<T> rows, Function<T, String[]> fields) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
             SequenceWriter writer = CSV.writer(CsvSchema.emptySchema().withLineSeparator("\n")).writeValues(out)) {
            writer.write(header.split(","));
            for (T row : rows) {
                writer.write(fields.apply(row));
            }
        }
    }

    /** Reads a file whose first line is {@code header}, each row of exactly the header's field count. */
    public static <T> List<T> read(Path file, String header, RowParser<T> parser) throws IOException {
        String[] columns = header.split(",");
        List<T> rows = new ArrayList<>();
        try (MappingIterator<String[]> it = CSV.readerForArrayOf(String.class).readValues(file.toFile())) {
            if (!it.hasNext() || !Arrays.equals(it.next(), columns)) {
                throw new IOException(file + ": the first line must be the header '" + header + "'");
            }
            while (it.hasNext()) {
                String[] f = it.next();
                long line = it.getCurrentLocation().getLineNr();
                try {
                    if (f.length != columns.length) {
                        throw new IllegalArgumentException("expected " + columns.length + " fields, found " + f.length);
                    }
                    rows.add(parser.parse(f));
                } catch (IllegalArgumentException | DateTimeParseException e) {
                    throw new IOException(file + " line " + line + ": " + e.getMessage() + ": '" + String.join(",", f) + "'", e);
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException(file + ": not a CSV file: " + e.getOriginalMessage(), e);
        }
        return rows;
    }
}
