package io.gridtier.cli;

import picocli.CommandLine.Command;

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
final class ClusterCommand extends HandedOffCommand {
    @Override
    String runsIn() {
        return "in bin/lib/flink-cluster.sh";
    }
}
