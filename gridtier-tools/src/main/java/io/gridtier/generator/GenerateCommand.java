package io.gridtier.generator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/** {@code gridtier generate}: the command line of {@link PopulationGenerator}. */
public final class GenerateCommand {
    static final String USAGE = String.join("\n",
            "usage: gridtier generate --out DIR [--customers N] [--seed S] [--months M] [--start YYYY-MM-DD]",
            "                         [--hourly-share F] [--interval-minutes 1440|60|15] [--fine-interval-minutes 60|15]",
            "  --out DIR                 where to write events.jsonl, ground-truth.csv and README.txt (required)",
            "  --customers N             number of customers (default " + GeneratorOptions.DEFAULT_CUSTOMERS + ")",
            "  --seed S                  random seed; same seed and options give identical files (default "
                    + GeneratorOptions.DEFAULT_SEED + ")",
            "  --months M                months simulated (default " + GeneratorOptions.DEFAULT_MONTHS
                    + ": a year can be compared with the year before)",
            "  --start YYYY-MM-DD        first simulated day (default " + GeneratorOptions.DEFAULT_START + ")",
            "  --hourly-share F          share 0-1 of industrial & commercial customers, largest first, read at",
            "                            the fine interval instead of daily (default 0)",
            "  --interval-minutes M      reading interval of all other meters (default 1440)",
            "  --fine-interval-minutes M interval of those interval meters (default 60)");

    private GenerateCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command; 0 on success, 2 for bad arguments, 1 when the files cannot be written. */
    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        GeneratorOptions options = GeneratorOptions.defaults();
        Path outDir = null;
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
                    case "--out" -> outDir = Paths.get(value);
                    case "--customers" -> options = options.withCustomers(parseInt(flag, value));
                    case "--seed" -> options = options.withSeed(parseLong(flag, value));
                    case "--months" -> options = options.withMonths(parseInt(flag, value));
                    case "--start" -> options = options.withStart(parseDate(flag, value));
                    case "--hourly-share" -> options = options.withHourlyShare(parseDouble(flag, value));
                    case "--interval-minutes" -> options = options.withIntervalMinutes(parseInt(flag, value));
                    case "--fine-interval-minutes" -> options = options.withFineIntervalMinutes(parseInt(flag, value));
                    default -> throw new IllegalArgumentException("unknown option '" + flag + "'");
                }
            }
            if (outDir == null) {
                throw new IllegalArgumentException("--out DIR is required");
            }
        } catch (IllegalArgumentException e) {
            err.println("gridtier generate: " + e.getMessage());
            err.println(USAGE);
            return 2;
        }

        out.printf("Generating %,d customers, seed %d, %d months from %s (%s) into %s%n", options.customers(),
                options.seed(), options.months(), options.start(), options.zone(), outDir);
        out.println(PopulationGenerator.SYNTHETIC_BILLING_NOTICE);
        try {
            GenerationSummary summary = new PopulationGenerator(options).generate(outDir, message -> out.println("  " + message));
            out.println();
            summary.print(out);
            out.printf("Wrote %s, %s and %s in %s%n", PopulationGenerator.EVENTS_FILE,
                    PopulationGenerator.GROUND_TRUTH_FILE, PopulationGenerator.README_FILE, outDir);
            return 0;
        } catch (IOException e) {
            err.println("gridtier generate: cannot write to " + outDir + ": " + e);
            return 1;
        }
    }

    private static int parseInt(String flag, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
        }
    }

    private static long parseLong(String flag, String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a whole number, was '" + value + "'");
        }
    }

    private static double parseDouble(String flag, String value) {
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a number, was '" + value + "'");
        }
    }

    private static LocalDate parseDate(String flag, String value) {
        try {
            return LocalDate.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(flag + " must be a date like 2024-01-01, was '" + value + "'");
        }
    }
}
