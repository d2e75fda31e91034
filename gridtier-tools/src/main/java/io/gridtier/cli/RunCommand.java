package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.kafka.KafkaJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gridtier run}: the segmentation job on Kafka until stopped. */
@Command(name = "run", description = {"Run the job on Kafka until stopped.",
    "Reads the kafka.* settings and creates missing topics; a local run keeps checkpoints in the work "
        + "folder and resumes from them. Ctrl-C cancels the job, keeping its last checkpoint. With --cluster, "
        + "the same job as the shaded jar on the standalone cluster of `gridtier cluster start`."})
final class RunCommand implements Callable<Integer> {
    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Option(names = "--work", paramLabel = "DIR", description = "Checkpoints and temporary files (default work/run; not with --cluster).")
    private Path work;

    @Option(names = "--from", paramLabel = "CHECKPOINT",
            description = "Start from this checkpoint or savepoint instead of the latest one in the work folder.")
    private String from;

    @Option(names = "--cluster", description = "Submit the shaded job jar to the standalone Flink cluster of `gridtier "
            + "cluster start` (work/cluster, or GRIDTIER_CLUSTER_DIR) instead of a local MiniCluster, then return: "
            + "checkpoints in the cluster's folder, resumed from the newest retained one unless --from.")
    private boolean cluster;

    @Override
    public Integer call() throws Exception {
        if (cluster) {
            return new ClusterRun(GridTier.home(), ClusterRun.defaultDir(GridTier.home()), System.out).run(job, from);
        }
        JobConfig config = job.load();
        Path dir = work != null ? work : GridTier.home().resolve("work/run");
        String restore = from != null ? from : KafkaJob.latestRetainedCheckpoint(config, dir).orElse(null);
        return KafkaJob.run(config, GridTier.model(config), dir, restore, System.out);
    }
}
