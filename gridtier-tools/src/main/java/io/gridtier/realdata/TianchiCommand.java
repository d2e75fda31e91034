package io.gridtier.realdata;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@code gridtier convert-tianchi}: the command line of {@link TianchiConverter}. Writes the real
 * Tianchi consumption of 1,454 enterprises as JSON lines that {@code gridtier replay} reads.
 */
public final class TianchiCommand {
    static final String DEFAULT_CSV = "../shared/data/tianchi-power/daily_kwh_wide.csv";
    static final String USAGE = String.join("\n",
            "usage: gridtier convert-tianchi --out FILE.jsonl [--csv FILE]",
            "  --out FILE.jsonl  where to write the replay events (profiles, then daily readings by intervalEnd)",
            "  --csv FILE        the wide daily CSV (record_date,1,...,N,total); default " + DEFAULT_CSV,
            "                    relative to the project folder",
            "then: gridtier replay --events FILE.jsonl --out DIR");

    private TianchiCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; 0 on success, 2 for bad arguments, 1 when the conversion fails. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        Path csv = null, target = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String flag = args[i];
                if (flag.equals("--help") || flag.equals("-h")) {
                    out.println(USAGE);
                    return 0;
                }
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(flag.startsWith("--") ? flag + " needs a value"
                            : "unexpected argument '" + flag + "'");
                }
                String value = args[++i];
                switch (flag) {
                    case "--csv" -> csv = Path.of(value);
                    case "--out" -> target = Path.of(value);
                    default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            }
            if (target == null) {
                throw new IllegalArgumentException("--out FILE.jsonl is required");
            }
            if (csv == null) {
                csv = home().resolve(DEFAULT_CSV).normalize();
            }
            if (!Files.isRegularFile(csv)) {
                throw new IllegalArgumentException("CSV file " + csv + " does not exist");
            }
            if (Files.isDirectory(target)) {
                throw new IllegalArgumentException("--out " + target + " is a folder; name the .jsonl file to write");
            }
        } catch (IllegalArgumentException e) {
            err.println("gridtier convert-tianchi: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

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
