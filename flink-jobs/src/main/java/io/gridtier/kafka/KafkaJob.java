package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.FlinkSettings;
import io.gridtier.job.EventDrivenWatermarks;
import io.gridtier.job.SegmentationJob;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * The production job: Kafka source → {@link SegmentationJob#defineWorkflow} → three exactly-once
 * Kafka sinks, with checkpoints (RocksDB, exactly-once mode) and a restart strategy from
 * {@link FlinkSettings}. It only wires; the workflow is the one the replay and the benchmark run.
 * Operator uids are stable so that savepoints and retained checkpoints restore.
 */
public final class KafkaJob {
    public static final String JOB_NAME = "gridtier segmentation (Kafka)";

    private KafkaJob() {
    }

    /**
     * The execution environment: a local MiniCluster when run from the command line, the cluster's
     * context environment when the program runs inside Flink.
     *
     * @param restoreFrom a retained checkpoint or savepoint to start from, or null
     */
    public static StreamExecutionEnvironment environment(JobConfig config, Path workDir, String restoreFrom) {
        return environment(config, workDir, restoreFrom, Map.of());
    }

    /** @param overrides Flink settings on top of {@link FlinkSettings} (tests bound the restarts) */
    static StreamExecutionEnvironment environment(JobConfig config, Path workDir, String restoreFrom,
                                                  Map<String, String> overrides) {
        Configuration flink = FlinkSettings.of(config, workDir, true);
        if (restoreFrom != null) {
            flink.setString("execution.state-recovery.path", restoreFrom);
        }
        overrides.forEach(flink::setString);
        return StreamExecutionEnvironment.getExecutionEnvironment(flink);
    }

    /**
     * Entry point inside a Flink cluster (application mode, as the Helm chart deploys it):
     * {@code --config FILE [--set key=value]...}; relative paths in the configuration are resolved
     * against the working directory. Throws instead of exiting, so that the JobManager survives.
     */
    public static void main(String[] args) throws Exception {
        String configFile = "config/gridtier.yaml";
        List<String> sets = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                configFile = args[++i];
            } else if (args[i].equals("--set") && i + 1 < args.length) {
                sets.add(args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected argument '" + args[i]
                        + "'; usage: KafkaJob --config FILE [--set key=value]...");
            }
        }
        JobConfig config = JobConfig.load(Path.of(configFile), sets, Path.of("").toAbsolutePath());
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        // no restore of its own choosing: inside a cluster, what to restore is the submitter's (REST savepointPath,
        // the operator's upgrade mode); a newest-checkpoint guess would override it and replay outputs twice
        int rc = run(config, model, Path.of(System.getProperty("java.io.tmpdir"), "gridtier"), null, System.out);
        if (rc != 0) {
            throw new IllegalStateException("the GridTier job ended with exit code " + rc);
        }
    }

    /** Wires the production job into {@code env}. */
    public static void wire(StreamExecutionEnvironment env, JobConfig config, SegmentationModel model, Properties client) {
        wire(env, config, model, client, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * @param input   applied to the raw records before the workflow (tests insert failures here)
     * @param outputs applied to the workflow's outputs before the sinks (likewise)
     */
    static void wire(StreamExecutionEnvironment env, JobConfig config, SegmentationModel model, Properties client,
                     UnaryOperator<DataStream<RawRecord>> input, UnaryOperator<SegmentationJob.Outputs> outputs) {
        String sourceName = "kafka: " + String.join(", ", KafkaConnectors.inputTopics(config));
        // watermarks per partition, in the source: a partition that lags holds the watermark back
        long bound = config.maxOutOfOrderness().toMillis();
        WatermarkStrategy<RawRecord> perPartition = WatermarkStrategy
                .<RawRecord>forGenerator(ctx -> new EventDrivenWatermarks<>(bound, SegmentationJob.WATERMARK_QUANTUM_MS))
                .withTimestampAssigner((record, ignored) -> record.eventTime)
                .withIdleness(config.idleness());
        DataStream<RawRecord> raw = env
                .fromSource(KafkaConnectors.source(config, client), perPartition, sourceName)
                .uid("kafka-source").name(sourceName);
        String updatesName = "kafka: " + config.modelUpdatesTopic();
        DataStream<RawRecord> updates = env
                .fromSource(KafkaConnectors.modelUpdatesSource(config, client), WatermarkStrategy.noWatermarks(), updatesName)
                .uid("kafka-source-model-updates").name(updatesName).setParallelism(1);
        SegmentationJob.Outputs out = outputs.apply(SegmentationJob.defineWorkflow(input.apply(raw),
                AvroTopicDecoder.of(config), config, model, 0, true,
                new SegmentationJob.ModelUpdates(updates, new ModelUpdateTopicDecoder(), true)));
        out.segments().sinkTo(KafkaConnectors.segmentsSink(config, client))
                .uid("kafka-sink-segments").name("kafka: " + config.customerSegmentsTopic());
        out.alerts().sinkTo(KafkaConnectors.alertsSink(config, client))
                .uid("kafka-sink-alerts").name("kafka: " + config.segmentAlertsTopic());
        out.deadLetters().sinkTo(KafkaConnectors.deadLettersSink(config, client))
                .uid("kafka-sink-dead-letters").name("kafka: " + config.deadLettersTopic());
    }

    /**
     * {@code gridtier run}: checks the Kafka settings, creates missing topics, and runs the job until
     * it fails or the process is stopped (Ctrl-C cancels it, keeping its last checkpoint). Inside a Flink
     * cluster the job is submitted and, when detached, left running.
     *
     * @param restoreFrom the checkpoint or savepoint to start from; null starts without one of its own (the
     *                    command line passes {@link #latestRetainedCheckpoint} to resume a local run)
     * @return the exit code
     */
    public static int run(JobConfig config, SegmentationModel model, Path workDir, String restoreFrom, PrintStream out)
            throws Exception {
        Properties client = KafkaClientProperties.of(config);
        out.println("Kafka: " + KafkaClientProperties.describe(client));
        TopicSetup.Outcome topics = TopicSetup.ensure(config, client);
        out.println("topics: created " + topics.created() + ", existing " + topics.existing());

        Files.createDirectories(workDir);
        // temporary files of an earlier run that was stopped with Ctrl-C (a MiniCluster cannot clean up then)
        Replay.deleteRecursively(workDir.resolve("tmp"));
        if (restoreFrom != null) {
            out.println("resuming from " + restoreFrom);
        }
        StreamExecutionEnvironment env = environment(config, workDir, restoreFrom);
        wire(env, config, model, client);
        JobClient job = env.executeAsync(JOB_NAME);
        JobID id = job.getJobID();
        out.println("job " + id + " running with model " + model.version() + " (and the versions pushed to "
                + config.modelUpdatesTopic() + "): reading "
                + KafkaConnectors.inputTopics(config) + " as group " + config.kafkaGroupId() + ", writing "
                + config.customerSegmentsTopic() + ", " + config.segmentAlertsTopic() + ", " + config.deadLettersTopic());
        if (!env.getConfiguration().get(DeploymentOptions.ATTACHED)) {
            return 0;
        }
        Thread stop = new Thread(() -> {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // the job may have ended by itself meanwhile
            }
        }, "gridtier-run-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        out.println("checkpoints in " + checkpointLocation(config, workDir) + "; Ctrl-C stops the job");
        try {
            job.getJobExecutionResult().get();
            return 0;
        } catch (ExecutionException e) {
            out.println("job " + id + " ended: " + e.getCause());
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(stop);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
        }
    }

    static String checkpointLocation(JobConfig config, Path workDir) {
        return config.checkpointDir().isEmpty() ? workDir.resolve("checkpoints").toAbsolutePath().toString()
                : config.checkpointDir();
    }

    /**
     * The newest complete checkpoint ({@code <job id>/chk-N/_metadata}) a previous run left in a local
     * checkpoint folder; empty for remote checkpoint storage.
     */
    public static Optional<String> latestRetainedCheckpoint(JobConfig config, Path workDir) throws IOException {
        if (config.checkpointDir().isEmpty()) {
            return latestCheckpointIn(workDir.resolve("checkpoints"));
        } else if (config.checkpointDir().startsWith("file:")) {
            return latestCheckpointIn(Path.of(URI.create(config.checkpointDir())));
        }
        return Optional.empty();
    }

    /** The newest complete checkpoint ({@code <job id>/chk-N/_metadata}) under {@code dir}, if any. */
    public static Optional<String> latestCheckpointIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        try (Stream<Path> jobs = Files.list(dir)) {
            return jobs.filter(Files::isDirectory)
                    .flatMap(KafkaJob::checkpointsOf)
                    .filter(chk -> Files.isRegularFile(chk.resolve("_metadata")))
                    .max(Comparator.comparing(chk -> chk.resolve("_metadata").toFile().lastModified()))
                    .map(chk -> chk.toAbsolutePath().toString());
        }
    }

    private static Stream<Path> checkpointsOf(Path jobDir) {
        try (Stream<Path> s = Files.list(jobDir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-")).toList().stream();
        } catch (IOException e) {
            return Stream.empty();
        }
    }
}
