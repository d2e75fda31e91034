package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.testkit.SharedLocalKafka;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model version pushed to the model-updates topic while the Kafka job runs, then a stop with savepoint and a
 * restart from it (the topic's offset is then past the push: the version lives on in the broadcast state
 * only). The outputs must be exactly those of a bounded replay given the same update as a file, and an
 * invalid model pushed meanwhile is one INVALID_MODEL dead letter with its original bytes.
 */
class ModelPushIT extends KafkaScenarioTestBase {
    private static final String V2 = "gridtier-model-pushed-2";

    @Test
    void aModelPushedDuringALiveRunAppliesFromItsTimeAndSurvivesARestoreFromASavepoint() throws Exception {
        String run = "push-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run);
        String text = Files.readString(config.modelFile()).replaceFirst("(?m)^version: .*$", "version: " + V2)
                // a model that differs in what it does, not only in its name: writes a segment at every 1 point moved
                .replaceFirst("(?m)^(\\s+materialChangePoints:) .*$", "$1 1.0");
        ModelUpdate v2 = new ModelUpdate(V2, text, Scenario.start(Scenario.FIRST_DAY.plusMonths(7)), "ModelPushIT",
                Instant.now(), ModelTimeline.checksum(text));
        // a model with a misspelt key, in a well-formed update (its checksum is right)
        String broken = text.replace("version: " + V2, "version: gridtier-model-broken")
                .replaceFirst("(?m)^(\\s+)materialChangePoints:", "$1materialChangePointz:");
        ModelUpdate invalid = new ModelUpdate("gridtier-model-broken", broken, Instant.EPOCH, "ModelPushIT", Instant.now(),
                ModelTimeline.checksum(broken));

        // the oracle: the replay of the same events with the same update, from a file
        Path updates = dir.resolve("updates.jsonl");
        Files.createDirectories(dir);
        Files.writeString(updates, new JsonLineCodec(config.zone()).encode(v2) + "\n");
        PipelineRun.Outputs replayed = PipelineRun.replay(new Scenario(),
                TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), "replay-push"), model, dir.resolve("replay"), updates);
        assertThat(replayed.segments().values().stream().flatMap(List::stream).map(CustomerSegment::getModelVersion))
                .as("the replay used both versions").contains(V2, model.version());
        assertThat(replayed).isNotEqualTo(expected);

        List<Scenario.Event> events = new Scenario().events;
        int half = events.size() / 2;
        String savepoint;
        RecordMetadata invalidAt;
        byte[] invalidBytes = new AvroBinary<>(ModelUpdate.class).encode(invalid);
        try (PipelineRun first = new PipelineRun(config, dir.resolve("first"));
             KafkaProducer<byte[], byte[]> pusher = new KafkaProducer<>(KafkaClientProperties.with(first.client, "acks", "all"),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            first.produce(events.subList(0, half));
            AtomicReference<JobClient> job = new AtomicReference<>();
            first.start(model, SavepointRescaleIT.submitted(job, null), UnaryOperator.identity());
            first.awaitConsumed(PipelineRun.CONSUMED_TIMEOUT);
            // pushed while the job runs; the scenario's disorder allowance holds every evaluation back until the clock
            invalidAt = pusher.send(new ProducerRecord<>(config.modelUpdatesTopic(),
                    invalid.getVersion().getBytes(StandardCharsets.UTF_8), invalidBytes)).get(30, TimeUnit.SECONDS);
            pusher.send(new ProducerRecord<>(config.modelUpdatesTopic(), V2.getBytes(StandardCharsets.UTF_8),
                    new AvroBinary<>(ModelUpdate.class).encode(v2))).get(30, TimeUnit.SECONDS);
            // two checkpoints later the updates are in the broadcast state and the topic's offset past them
            long checkpoints = config.checkpointInterval().toMillis();
            Thread.sleep(3 * checkpoints + 1000);
            savepoint = job.get().stopWithSavepoint(false, dir.resolve("savepoints").toUri().toString(),
                    SavepointFormatType.CANONICAL).get(120, TimeUnit.SECONDS);
            job.get().getJobExecutionResult().get(60, TimeUnit.SECONDS);
        }

        try (PipelineRun second = new PipelineRun(config, dir.resolve("second"))) {
            AtomicReference<JobClient> job = new AtomicReference<>();
            second.start(model, SavepointRescaleIT.submitted(job, savepoint), UnaryOperator.identity());
            second.produce(events.subList(half, events.size()));
            PipelineRun.Outputs want = new PipelineRun.Outputs(replayed.segments(), replayed.alerts(),
                    new java.util.ArrayList<>(List.of(new PipelineRun.Dead(config.modelUpdatesTopic(), invalidAt.partition(),
                            invalidAt.offset(), PipelineRun.Dead.hex(invalid.getVersion().getBytes(StandardCharsets.UTF_8)),
                            PipelineRun.Dead.hex(invalidBytes), DeadLetterReason.INVALID_MODEL))));
            PipelineRun.Result result = second.runUntil(want);

            assertThat(result.outputs().segments()).isEqualTo(replayed.segments());
            assertThat(result.outputs().alerts()).isEqualTo(replayed.alerts());
            assertThat(result.deadLetters()).singleElement().satisfies(d ->
                    assertThat(d.getDetail()).contains("materialChangePointz").contains("the model in force stays"));
            assertThat(result.outputs().alerts().values().stream().flatMap(List::stream).map(SegmentAlert::getAlertId))
                    .doesNotHaveDuplicates();
        }
    }
}
