package io.gridtier.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * A command that bin/gridtier hands to another program before this JVM starts ({@code cluster} to
 * bin/lib/flink-cluster.sh, {@code service} to the agents' service on its own class path): only its help
 * lives here, so that {@code gridtier --help} lists it. Reached in this JVM, it says where it runs.
 */
abstract class HandedOffCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command and its options (see above).")
    private List<String> args;

    @Unmatched
    private List<String> options;

    /** Where the command really runs, for the error when it is reached here. */
    abstract String runsIn();

    @Override
    public final Integer call() {
        throw new ParameterException(spec.commandLine(), "gridtier " + spec.name() + " runs through bin/gridtier "
                + spec.name() + " ..., " + runsIn() + ", not from this JVM");
    }
}
