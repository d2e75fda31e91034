package io.gridtier.generator;

import io.gridtier.cli.PrintingCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.LocalDate;

/** {@code gridtier generate}: the command line of {@link PopulationGenerator}. */
@Command(name = "generate", description = {"Write a synthetic population and its ground truth.",
    "Writes events.jsonl, ground-truth.csv and README.txt; the same seed and options give identical files."})
public final class GenerateCommand extends PrintingCommand {
    @Spec
    private CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where to write events.jsonl, ground-truth.csv and README.txt.")
    private Path outDir;

    @Option(names = "--customers", paramLabel = "N", description = "Number of customers (default ${DEFAULT-VALUE}).")
    private int customers = GeneratorOptions.DEFAULT_CUSTOMERS;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default ${DEFAULT-VALUE}).")
    private long seed = GeneratorOptions.DEFAULT_SEED;

    @Option(names = "--months", paramLabel = "M",
            description = "Months simulated (default ${DEFAULT-VALUE}: a year can be compared with the year before).")
    private int months = GeneratorOptions.DEFAULT_MONTHS;

    @Option(names = "--start", paramLabel = "YYYY-MM-DD", description = "First simulated day (default ${DEFAULT-VALUE}).")
    private LocalDate start = GeneratorOptions.DEFAULT_START;

    @Option(names = "--hourly-share", paramLabel = "F",
            description = {"Share 0-1 of industrial & commercial customers, largest first, read at the fine interval "
                + "instead of daily (default ${DEFAULT-VALUE})."})
    private double hourlyShare = GeneratorOptions.defaults().hourlyShare();

    @Option(names = "--interval-minutes", paramLabel = "1440|60|15",
            description = "Reading interval of all other meters (default ${DEFAULT-VALUE}).")
    private int intervalMinutes = GeneratorOptions.defaults().intervalMinutes();

    @Option(names = "--fine-interval-minutes", paramLabel = "60|15",
            description = "Interval of those interval meters (default ${DEFAULT-VALUE}).")
    private int fineIntervalMinutes = GeneratorOptions.defaults().fineIntervalMinutes();

    /** 0 on success, 2 for bad options (picocli's own and the generator's ranges), 1 when the files cannot be written. */
    @Override
    public Integer call() {
        GeneratorOptions options;
        try {
            options = GeneratorOptions.defaults().withCustomers(customers).withSeed(seed).withMonths(months)
                    .withStart(start).withHourlyShare(hourlyShare).withIntervalMinutes(intervalMinutes)
                    .withFineIntervalMinutes(fineIntervalMinutes);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        return generate(options, outDir, out, err);
    }

    /** Generates a population into {@code outDir}, printing progress and a summary; 0, or 1 when it cannot write. */
    public static int generate(GeneratorOptions options, Path outDir, PrintStream out, PrintStream err) {
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
}
