package io.gridtier.kafka;

import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.testkit.SharedLocalKafka;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;

/**
 * The set-up of the Kafka tests that compare the job on the run's real broker with a bounded replay of the
 * {@link Scenario}: one MiniCluster per test class, and the replay's outputs (the oracle) computed once per
 * class before its tests. The fields are static because JUnit's class-level callbacks are; test classes run
 * one after another (no parallel execution is configured), each with its own values.
 */
@ExtendWith(SharedLocalKafka.class)
abstract class KafkaScenarioTestBase {
    @RegisterExtension
    static final MiniClusterExtension FLINK = TestConfigs.miniCluster("kafka-it");

    /** The test class's work folder, target/kafka-it/CLASS: fresh before its tests, removed after them. */
    static Path dir;
    static SegmentationModel model;
    /** What the bounded replay of the scenario wrote. */
    static PipelineRun.Outputs expected;

    @BeforeAll
    static void replay(@InjectMiniCluster MiniCluster cluster, TestInfo test) throws Exception {
        dir = TestConfigs.target().resolve("kafka-it").resolve(test.getTestClass().orElseThrow().getSimpleName());
        PipelineRun.Reference reference = PipelineRun.reference(cluster, dir);
        model = reference.model();
        expected = reference.expected();
    }

    /** The broker's logs stay in its own folder (target/local-kafka/logs) for a failure's post-mortem. */
    @AfterAll
    static void removeTheWorkFolder() {
        Replay.deleteRecursively(dir);
    }
}
