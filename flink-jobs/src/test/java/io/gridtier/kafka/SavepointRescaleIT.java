package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.RawRecord;
import io.gridtier.replay.Replay;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.testkit.SharedLocalKafka;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.JobListener;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job stopped with a savepoint at parallelism 1 and restarted from it at parallelism 2 (its
 * keyed RocksDB state, timers, source splits and sink transactions redistributed) writes exactly
 * the segments and alerts of a failure-free replay, as read_committed consumers see them. Same
 * set-up as {@link KafkaPipelineIT}: the run's real broker, fresh topics, the job detached on
 * the class's MiniCluster (two slots; the first run uses one).
 *
 * <p>The scenario's disorder allowance is longer than the scenario, so the first run evaluates
 * nothing: everything it read lives only in its state (and its offsets only in the savepoint and
 * the group's committed offsets). A second run that lost that state would resume from the committed
 * offsets and evaluate the second half alone, and the outputs would differ.
 */
class SavepointRescaleIT extends KafkaScenarioTestBase {
    @Test
    void restartFromASavepointWithAnotherParallelismGivesTheSameResults() throws Exception {
        String run = "rescale-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        // the same topics, group and transactional ids; only the parallelism differs
        JobConfig narrow = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run, "flink.parallelism=1");
        JobConfig wide = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run, "flink.parallelism=2");
        List<Scenario.Event> events = new Scenario().events;
        int half = events.size() / 2;
        Path savepoints = dir.resolve("savepoints");

        String savepoint;
        try (PipelineRun first = new PipelineRun(narrow, dir.resolve("first"))) {
            first.produce(events.subList(0, half));
            AtomicReference<JobClient> job = new AtomicReference<>();
            first.start(model, submitted(job, null), UnaryOperator.identity());
            first.awaitConsumed(PipelineRun.CONSUMED_TIMEOUT);

            // not drained: no end-of-time watermark, so no evaluation runs before the savepoint
            savepoint = job.get().stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL)
                    .get(120, TimeUnit.SECONDS);
            job.get().getJobExecutionResult().get(60, TimeUnit.SECONDS);
            assertThat(Path.of(java.net.URI.create(savepoint)).resolve("_metadata")).isRegularFile();

            try (PipelineRun.OutputReader reader = first.new OutputReader()) {
                reader.readToEnd(java.time.Duration.ofSeconds(60));
                assertThat(reader.outputs.segmentCount() + reader.outputs.alertCount())
                        .as("outputs of the first half alone (its days are not evaluated yet)").isZero();
            }
            assertThat(sinkSubtasks(first)).as("segment sink subtasks that committed in the first run").isEmpty();
        }

        try (PipelineRun second = new PipelineRun(wide, dir.resolve("second"))) {
            AtomicReference<JobClient> job = new AtomicReference<>();
            second.start(model, submitted(job, savepoint), UnaryOperator.identity());
            second.produce(events.subList(half, events.size()));

            PipelineRun.Outputs out = second.runUntil(expected).outputs();

            assertThat(out.segments()).isEqualTo(expected.segments());
            assertThat(out.alerts()).isEqualTo(expected.alerts());
            assertThat(out.deadLetters()).isEmpty();
            assertThat(out.alerts().values().stream().flatMap(List::stream).map(SegmentAlert::getAlertId))
                    .doesNotHaveDuplicates();
            assertThat(sinkSubtasks(second)).as("segment sink subtasks that committed").containsExactly(0, 1);
        }
    }

    /**
     * A hook for {@link PipelineRun#start} that changes nothing in the job graph: it keeps the
     * submitted job's client and, if {@code restoreFrom} is given, has the job start from it.
     */
    static UnaryOperator<DataStream<RawRecord>> submitted(AtomicReference<JobClient> job, String restoreFrom) {
        return input -> {
            var env = input.getExecutionEnvironment();
            if (restoreFrom != null) {
                Configuration restore = new Configuration();
                restore.setString("execution.state-recovery.path", restoreFrom);
                env.configure(restore);
            }
            env.registerJobListener(new JobListener() {
                @Override
                public void onJobSubmitted(JobClient client, Throwable t) {
                    job.set(client);
                }

                @Override
                public void onJobExecuted(JobExecutionResult result, Throwable t) {
                }
            });
            return input;
        };
    }

    /**
     * The subtasks of the segments sink that have committed a transaction, from the transactional
     * ids ({@code <prefix>-segments-<subtask>-<checkpoint>}) the broker's transaction coordinator
     * lists. Ids the sink only initialised (state Empty: a checkpoint with nothing written, or the
     * probe for lingering transactions after a restore) do not count.
     */
    private static Set<Integer> sinkSubtasks(PipelineRun run) throws Exception {
        String prefix = KafkaConnectors.transactionalIdPrefix(run.config, "segments") + "-";
        try (Admin admin = Admin.create(run.client)) {
            Set<Integer> subtasks = new TreeSet<>();
            for (TransactionListing t : admin.listTransactions().all().get(30, TimeUnit.SECONDS)) {
                if (t.transactionalId().startsWith(prefix) && t.state() == TransactionState.COMPLETE_COMMIT) {
                    String rest = t.transactionalId().substring(prefix.length());
                    subtasks.add(Integer.parseInt(rest.substring(0, rest.indexOf('-'))));
                }
            }
            return subtasks;
        }
    }
}
