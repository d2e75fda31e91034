package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.job.FlinkSettings;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The project's configuration with test overrides, the folders tests work in, and their MiniCluster. */
final class TestConfigs {
    private TestConfigs() {
    }

    /** The project folder (config/, local-kafka/ ...). */
    static Path root() {
        return Path.of(System.getProperty("gridtier.configDir", "../config")).toAbsolutePath().normalize().getParent();
    }

    /** flink-jobs/target. */
    static Path target() {
        return root().resolve("flink-jobs/target");
    }

    static JobConfig load(List<String> overrides) {
        return JobConfig.load(root().resolve("config/gridtier.yaml"), overrides, root());
    }

    static JobConfig load(String... overrides) {
        return load(List.of(overrides));
    }

    /**
     * The MiniCluster of one test class (a {@code static @RegisterExtension}): the cluster side of
     * {@link FlinkSettings} for a Kafka test (slots = its parallelism, its managed memory, temporary
     * files under target/minicluster/NAME). Every job a test of the class runs goes to it.
     */
    static MiniClusterExtension miniCluster(String name) {
        return new MiniClusterExtension(() -> {
            JobConfig config = forKafkaTest("127.0.0.1:9", name);
            return new MiniClusterResourceConfiguration.Builder()
                    .setConfiguration(FlinkSettings.of(config, target().resolve("minicluster").resolve(name), false))
                    .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(config.parallelism()).build();
        });
    }

    /**
     * Runs {@code work} with the class's MiniCluster as the execution environment, for {@code @BeforeAll}
     * methods (the extension sets it for test methods only).
     */
    static <T> T onCluster(MiniCluster cluster, Callable<T> work) throws Exception {
        TestStreamEnvironment.setAsContext(cluster, cluster.getConfiguration().get(
                org.apache.flink.configuration.TaskManagerOptions.NUM_TASK_SLOTS));
        try {
            return work.call();
        } finally {
            TestStreamEnvironment.unsetAsContext();
        }
    }

    /**
     * The configuration of one Kafka test: its own topics, group and transactional ids (suffix
     * {@code run}), a fast checkpoint, quick idleness, and the scenario's disorder allowance.
     */
    static JobConfig forKafkaTest(String bootstrap, String run, String... more) {
        List<String> o = new ArrayList<>(List.of(
                "kafka.bootstrapServers=" + bootstrap,
                "kafka.topics.meterReadings=meter-readings-" + run,
                "kafka.topics.customerProfiles=customer-profiles-" + run,
                "kafka.topics.billingEvents=billing-events-" + run,
                "kafka.topics.customerSegments=customer-segments-" + run,
                "kafka.topics.segmentAlerts=segment-alerts-" + run,
                "kafka.topics.deadLetters=segmentation-dead-letters-" + run,
                "kafka.topics.modelUpdates=model-updates-" + run,
                "kafka.groupId=gridtier-test-" + run,
                "kafka.transactionalIdPrefix=gridtier-test-" + run,
                "kafka.partitions=2",
                "kafka.replicationFactor=1",
                "kafka.transactionTimeout=PT2M",
                "flink.parallelism=2",
                "flink.managedMemory=256m",
                "flink.checkpointInterval=PT1S",
                "watermarks.maxOutOfOrderness=" + Scenario.OUT_OF_ORDERNESS,
                "watermarks.idleness=PT1S"));
        o.addAll(List.of(more));
        return load(o);
    }
}
