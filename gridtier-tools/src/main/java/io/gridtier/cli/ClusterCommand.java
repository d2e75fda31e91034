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
 * {@code gridtier cluster}: only its help lives here. The standalone Flink cluster is managed by
 * bin/lib/flink-cluster.sh (processes, PIDs, kill -9), which bin/gridtier runs before this JVM would start.
 */
@Command(name = "cluster", description = {
    "A Flink standalone cluster of separate processes.",
    "Commands: start|stop|status|add-taskmanager|kill-taskmanager|submit.",
    "bin/gridtier hands 'gridtier cluster ...' to bin/lib/flink-cluster.sh, in work/cluster "
        + "(GRIDTIER_CLUSTER_DIR to change): 'cluster start --taskmanagers 2', 'cluster kill-taskmanager 1', "
        + "'cluster submit JAR CLASS ARGS', 'cluster stop'. Its usage: bin/gridtier cluster"})
final class ClusterCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Parameters(paramLabel = "start|stop|status|add-taskmanager|kill-taskmanager|submit", arity = "0..*",
            description = "The cluster command and its options.")
    private List<String> clusterArgs;

    @Unmatched
    private List<String> clusterOptions;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "the cluster is managed through bin/gridtier cluster ... "
                + "(bin/lib/flink-cluster.sh), not from this JVM");
    }
}
