package io.gridtier.job;

import io.gridtier.config.JobConfig;
import org.apache.flink.configuration.Configuration;

import java.nio.file.Path;

/**
 * The Flink settings every GridTier run uses: RocksDB with managed memory, no Kryo fallback, local
 * temporary files under the run's work folder (MiniCluster litters /tmp otherwise), checkpoints.
 */
public final class FlinkSettings {
    private FlinkSettings() {
    }

    /**
     * @param workDir    folder for temporary files and RocksDB's local files
     * @param checkpoint whether to checkpoint (bounded replays do not need to)
     */
    public static Configuration of(JobConfig config, Path workDir, boolean checkpoint) {
        Configuration c = new Configuration();
        c.setString("state.backend.type", "rocksdb");
        c.setString("state.backend.rocksdb.options-factory", RocksDbLogInDatabaseFolder.class.getName());
        c.setString("taskmanager.memory.managed.size", config.managedMemory());
        c.setString("pipeline.generic-types", "false");
        // operators never keep a reference to a record they emitted or received, so no defensive copies
        c.setString("pipeline.object-reuse", "true");
        c.setString("io.tmp.dirs", workDir.resolve("tmp").toAbsolutePath().toString());
        c.setString("web.upload.dir", workDir.resolve("web-upload").toAbsolutePath().toString());
        c.setString("parallelism.default", String.valueOf(config.parallelism()));
        c.setString("taskmanager.numberOfTaskSlots", String.valueOf(config.parallelism()));
        c.setString("rest.bind-address", "127.0.0.1");
        c.setString("rest.address", "127.0.0.1");
        if (!config.metricsPort().isEmpty()) {
            // the same reporter the Helm chart configures in a cluster (the metric names of the Operations section)
            c.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            c.setString("metrics.reporter.prom.port", config.metricsPort().strip());
        }
        if (checkpoint) {
            String dir = config.checkpointDir().isEmpty()
                    ? workDir.resolve("checkpoints").toAbsolutePath().toUri().toString() : config.checkpointDir();
            c.setString("execution.checkpointing.dir", dir);
            c.setString("execution.checkpointing.interval", config.checkpointInterval().toMillis() + " ms");
            c.setString("execution.checkpointing.incremental", String.valueOf(config.incrementalCheckpoints()));
            c.setString("execution.checkpointing.mode", "EXACTLY_ONCE");
            c.setString("execution.checkpointing.externalized-checkpoint-retention", "RETAIN_ON_CANCELLATION");
            c.setString("restart-strategy.type", "exponential-delay");
        } else {
            c.setString("restart-strategy.type", "none");
        }
        return c;
    }
}
