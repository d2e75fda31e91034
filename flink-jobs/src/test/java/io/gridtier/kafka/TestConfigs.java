package io.gridtier.kafka;

import io.gridtier.config.JobConfig;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The project's configuration with test overrides, and the folders tests work in. */
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
