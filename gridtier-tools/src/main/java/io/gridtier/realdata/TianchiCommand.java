package io.gridtier.realdata;

import io.gridtier.cli.PrintingCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code gridtier convert-tianchi}: the command line of {@link TianchiConverter}. Writes the real
 * Tianchi consumption of 1,454 enterprises as JSON lines that {@code gridtier replay} reads.
 */
@Command(name = "convert-tianchi", description = {"Turn the real Tianchi enterprises into JSON lines.",
    "The 1,454 enterprises of the Tianchi CSV: profiles first, then daily readings by intervalEnd. "
        + "Then: gridtier replay --events FILE.jsonl --out DIR"})
public final class TianchiCommand extends PrintingCommand {
    static final String DEFAULT_CSV = "../shared/data/tianchi-power/daily_kwh_wide.csv";

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "FILE.jsonl", description = "Where to write the replay events.")
    private Path target;

    @Option(names = "--csv", paramLabel = "FILE", description = {"The wide daily CSV (record_date,1,...,N,total); "
        + "default, relative to the project folder:", DEFAULT_CSV})
    private Path csv;

    /** 0 on success, 2 for a missing CSV or a folder as --out, 1 when the conversion fails. */
    @Override
    public Integer call() {
        Path from = csv != null ? csv : home().resolve(DEFAULT_CSV).normalize();
        if (!Files.isRegularFile(from)) {
            throw new ParameterException(spec.commandLine(), "--csv: CSV file " + from + " does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new ParameterException(spec.commandLine(), "--out " + target + " is a folder; name the .jsonl file to write");
        }
        return convert(from, target, out, err);
    }

    /** Converts {@code csv} into {@code target}, printing the counts; 0, or 1 when the conversion fails. */
    public static int convert(Path csv, Path target, PrintStream out, PrintStream err) {
        out.println("Converting " + csv + " into " + target);
        long started = System.nanoTime();
        try {
            TianchiConversion c = new TianchiConverter().convert(csv, target);
            out.printf(Locale.ROOT, "Done in %.1f s:%n", (System.nanoTime() - started) / 1e9);
            out.print(c.report());
            out.println("Replay it with: gridtier replay --events " + target + " --out DIR");
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("gridtier convert-tianchi: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("gridtier convert-tianchi: cannot convert: " + e);
            return 1;
        }
    }

    /** The project folder (bin/gridtier sets gridtier.home), against which the default CSV is found. */
    private static Path home() {
        return Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath().normalize();
    }
}
