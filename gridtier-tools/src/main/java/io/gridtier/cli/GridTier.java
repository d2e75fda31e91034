package io.gridtier.cli;

import io.gridtier.bench.BenchCommand;
import io.gridtier.bench.EndToEndBench;
import io.gridtier.drill.FaultDrillCommand;
import io.gridtier.config.JobConfig;
import io.gridtier.generator.EvaluateCommand;
import io.gridtier.generator.GenerateCommand;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.realdata.TianchiCommand;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;

/**
 * The one front door (bin/gridtier): every command a user runs, as picocli subcommands. Exit codes: 0 done,
 * 1 failed, 2 bad command line (the message names the option), 3 bad configuration.
 */
@Command(name = "gridtier",
        description = {"GridTier: real-time segmentation of the utility's customers.",
            "Run 'gridtier COMMAND --help' for the options of a command."},
        synopsisSubcommandLabel = "COMMAND",
        // inherited: every command, and every command added later, has -h/--help and -V/--version without declaring them
        scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, versionProvider = GridTier.Version.class)
public final class GridTier implements Callable<Integer> {
    /** The exit code of a configuration error (InvalidConfigException); picocli's own are 0, 1 and 2. */
    public static final int CONFIGURATION_ERROR = 3;

    @Spec
    private CommandSpec spec;

    /** The project version, written by Maven's resource filtering into version.properties. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() throws java.io.IOException {
            java.util.Properties p = new java.util.Properties();
            try (java.io.InputStream in = GridTier.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    p.load(in);
                }
            }
            return new String[] {"GridTier " + p.getProperty("version", "(version unknown)"),
                "Flink " + org.apache.flink.runtime.util.EnvironmentInformation.getVersion()
                    + ", Java " + System.getProperty("java.version")};
        }
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.out, System.err).execute(args));
    }

    /** {@code gridtier} alone: the usage, and exit 2 as for any other incomplete command line. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return CommandLine.ExitCode.USAGE;
    }

    /** The command tree, writing to {@code out} and {@code err} (tests pass their own). */
    public static CommandLine commandLine(PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new GridTier())
                .addSubcommand(new DemoCommand())
                .addSubcommand(new ReplayDemoCommand())
                .addSubcommand(new ReplayCommand())
                .addSubcommand(new RunCommand())
                .addSubcommand(new GenerateCommand().printingTo(out, err))
                .addSubcommand(new EvaluateCommand().printingTo(out, err))
                .addSubcommand(new ScoreReportCommand().printingTo(out, err))
                .addSubcommand(new CalibrateCommand().printingTo(out, err))
                .addSubcommand(new ModelCommand().printingTo(out, err))
                .addSubcommand(new BacktestCommand().printingTo(out, err))
                .addSubcommand(new TianchiCommand().printingTo(out, err))
                .addSubcommand(new BenchCommand())
                .addSubcommand(new EndToEndBench())
                .addSubcommand(new ConfigCommand())
                .addSubcommand(new ServiceCommand())
                .addSubcommand(new ClusterCommand())
                .addSubcommand(new FaultDrillCommand().printingTo(out, err))
                .addSubcommand("completion", completion())
                .addSubcommand(new CommandLine.HelpCommand());
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().sortOptions(false); // as declared: the required and common ones first
        }
        registerConverters(cl);
        // a value that starts with @ (a --set, a file name) is a value, not a file of arguments to read
        cl.setExpandAtFiles(false);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler(GridTier::badCommandLine);
        cl.setExecutionExceptionHandler((e, failed, parseResult) -> failed(e, failed));
        return cl;
    }

    private static CommandLine completion() {
        CommandLine completion = new CommandLine(new AutoComplete.GenerateCompletion());
        completion.getCommandSpec().name("completion");
        completion.getCommandSpec().usageMessage().description("Print a bash completion script for gridtier.",
                "Use it with: source <(bin/gridtier completion)");
        return completion;
    }

    /** Whole numbers may be written 1_000_000 or 1,000,000; durations are ISO-8601. */
    private static void registerConverters(CommandLine cl) {
        CommandLine.ITypeConverter<Integer> ints = v -> {
            try {
                return Integer.parseInt(digits(v));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + v + "' is not a whole number");
            }
        };
        CommandLine.ITypeConverter<Long> longs = v -> {
            try {
                return Long.parseLong(digits(v));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + v + "' is not a whole number");
            }
        };
        CommandLine.ITypeConverter<Double> doubles = v -> {
            try {
                return Double.parseDouble(v.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("'" + v + "' is not a number");
            }
        };
        cl.registerConverter(Integer.class, ints).registerConverter(int.class, ints)
                .registerConverter(Long.class, longs).registerConverter(long.class, longs)
                .registerConverter(Double.class, doubles).registerConverter(double.class, doubles)
                .registerConverter(Duration.class, GridTier::duration);
    }

    /** ISO-8601, as the configuration's durations are. */
    private static Duration duration(String v) {
        try {
            return Duration.parse(v.trim());
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + v + "' is not an ISO-8601 duration like PT1S or PT500MS");
        }
    }

    private static String digits(String v) {
        return v.trim().replace("_", "").replace(",", "");
    }

    private static int badCommandLine(ParameterException e, String[] args) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println(failed.getCommandSpec().qualifiedName() + ": " + e.getMessage());
        if (!UnmatchedArgumentException.printSuggestions(e, err)) {
            failed.usage(err);
        }
        return failed.getCommandSpec().exitCodeOnInvalidInput();
    }

    private static int failed(Exception e, CommandLine failed) {
        PrintWriter err = failed.getErr();
        String name = failed.getCommandSpec().qualifiedName();
        if (e instanceof InvalidConfigException) {
            err.println(name + ": configuration error: " + e.getMessage());
            return CONFIGURATION_ERROR;
        }
        err.println(name + ": failed: " + e);
        e.printStackTrace(err);
        return CommandLine.ExitCode.SOFTWARE;
    }

    /** The project folder: config paths in the configuration are relative to it. */
    static Path home() {
        return Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath().normalize();
    }

    static SegmentationModel model(JobConfig config) {
        return new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
    }
}
