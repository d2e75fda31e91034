package io.gridtier.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code gridtier service}: only its help lives here. The agents' service runs on its own class path
 * (tier-service/), so bin/gridtier hands {@code service ...} to its main class before this JVM starts.
 */
@Command(name = "service", description = {"The agents' service (run|hash-token|produce-sample|bench).",
    "bin/gridtier hands 'gridtier service ...' to the agents' lookup service, "
        + "io.gridtier.tierservice.TierService, on its own class path (see tier-service/README.md). "
        + "Its commands and options: bin/gridtier service --help"})
final class ServiceCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "run|hash-token|produce-sample|bench", arity = "0..*",
            description = "The service's command and its options.")
    private List<String> serviceArgs;

    @Unmatched
    private List<String> serviceOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "the agents' service runs through bin/gridtier service ..., "
                + "on tier-service's class path, not this one");
    }
}
