package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.SegmentationJob;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.replay.Replay;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import io.gridtier.testkit.SharedLocalKafka;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Kafka job end to end against a real broker (the local-kafka launcher as its own process,
 * one per test run: {@link SharedLocalKafka}) and one MiniCluster for the class, every test on its
 * own topics, group and transactional ids. Outputs are read with {@code isolation.level=read_committed} and compared
 * with a bounded replay of the same scenario: the same segments per customer in the same order,
 * the same alerts, nothing more.
 */
class KafkaPipelineIT extends KafkaScenarioTestBase {
    private static String run(String name) {
        return name + "-" + Long.toString(System.currentTimeMillis() % 1_000_000_000L, 36);
    }

    @Test
    void theScenarioTellsItsStoryInTheReplay() {
        // guards the oracle: if the model changes so much that the scenario stops producing these,
        // the Kafka tests below would compare next to nothing
        assertThat(alertTypes(expected, Scenario.RISING)).contains(AlertType.KEY_ACCOUNT_ENTERED);
        assertThat(last(expected, Scenario.RISING).getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
        assertThat(alertTypes(expected, Scenario.FADING)).contains(AlertType.CHURN_RISK_RAISED);
        assertThat(alertTypes(expected, Scenario.ARREARS)).contains(AlertType.CREDIT_DOWNGRADED);
        assertThat(last(expected, Scenario.ARREARS).getCreditRating()).isEqualTo(CreditRating.C);
        assertThat(alertTypes(expected, Scenario.STEADY)).isEmpty();
        assertThat(expected.segments()).containsOnlyKeys(Scenario.RISING, Scenario.FADING, Scenario.ARREARS, Scenario.STEADY);
    }

    @Test
    void topicSetupCreatesTheTopicsOnceWithACompactedSegmentsTopic() throws Exception {
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run("setup"), "kafka.partitions=3");
        Properties client = KafkaClientProperties.of(config, Map.of());

        TopicSetup.Outcome first = TopicSetup.ensure(config, client);
        TopicSetup.Outcome second = TopicSetup.ensure(config, client);

        List<String> all = List.of(config.meterReadingsTopic(), config.customerProfilesTopic(), config.billingEventsTopic(),
                config.customerSegmentsTopic(), config.segmentAlertsTopic(), config.deadLettersTopic(), config.modelUpdatesTopic());
        assertThat(first.created()).containsExactlyInAnyOrderElementsOf(all);
        assertThat(second.created()).isEmpty();
        assertThat(second.existing()).containsExactlyInAnyOrderElementsOf(all);
        // compacted: the latest segment of each customer, and every model version ever pushed (key = version)
        List<String> compacted = List.of(config.customerSegmentsTopic(), config.modelUpdatesTopic());
        try (Admin admin = Admin.create(client)) {
            var descriptions = admin.describeTopics(all).allTopicNames().get(30, TimeUnit.SECONDS);
            descriptions.values().forEach(d -> assertThat(d.partitions()).as(d.name())
                    .hasSize(d.name().equals(config.modelUpdatesTopic()) ? 1 : 3));
            var configs = admin.describeConfigs(all.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList())
                    .all().get(30, TimeUnit.SECONDS);
            configs.forEach((resource, c) -> assertThat(c.get("cleanup.policy").value()).as(resource.name())
                    .isEqualTo(compacted.contains(resource.name()) ? "compact" : "delete"));
        }
    }

    @Test
    void topicSetupRefusesMissingTopicsWhenItMayNotCreateThemAndAnUncompactedSegmentsTopic() throws Exception {
        String run = run("refuse");
        JobConfig checkOnly = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run, "kafka.createTopics=false");
        Properties client = KafkaClientProperties.of(checkOnly, Map.of());
        assertThatThrownBy(() -> TopicSetup.ensure(checkOnly, client))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafka.createTopics").hasMessageContaining(checkOnly.meterReadingsTopic());

        try (Admin admin = Admin.create(client)) {
            admin.createTopics(List.of(new NewTopic(checkOnly.customerSegmentsTopic(), 1, (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        JobConfig create = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run);
        assertThatThrownBy(() -> TopicSetup.ensure(create, client))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(create.customerSegmentsTopic()).hasMessageContaining("cleanup.policy=compact");
    }

    /** (a) The scenario through Kafka gives exactly the replay's segments and alerts. */
    @Test
    void roundTripGivesTheSegmentsAndAlertsOfAReplay() throws Exception {
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run("roundtrip"));
        try (PipelineRun pipeline = new PipelineRun(config, dir.resolve("roundtrip"))) {
            pipeline.produce(new Scenario().events);
            pipeline.start(model, UnaryOperator.identity(), UnaryOperator.identity());

            PipelineRun.Outputs out = pipeline.runUntil(expected).outputs();

            assertThat(out.segments()).isEqualTo(expected.segments());
            assertThat(out.alerts()).isEqualTo(expected.alerts());
            assertThat(out.deadLetters()).isEmpty();
            assertThat(alertTypes(out, Scenario.RISING)).contains(AlertType.KEY_ACCOUNT_ENTERED);
            assertThat(alertTypes(out, Scenario.FADING)).contains(AlertType.CHURN_RISK_RAISED);
            assertThat(alertTypes(out, Scenario.ARREARS)).contains(AlertType.CREDIT_DOWNGRADED);
            assertThat(out.alerts().values().stream().flatMap(List::stream).map(SegmentAlert::getAlertId))
                    .doesNotHaveDuplicates();
        }
    }

    /**
     * One input partition lags far behind the others, as when a head-end system uploads late: the
     * readings of three customers (partition 0) are all read, a year of them, while the fourth
     * customer's partition (1) has delivered only its first day. With a realistic disorder allowance
     * (6 h) and a correction window of 7 days, one watermark for the whole topic would have judged
     * that customer's remaining readings TOO_LATE. Watermarks per partition hold the evaluations back
     * instead: nothing is dead-lettered and the outputs are those of a replay in event-time order.
     */
    @Test
    void aLaggingPartitionHoldsEvaluationsBackInsteadOfMakingItsReadingsLate() throws Exception {
        String[] settings = {"watermarks.maxOutOfOrderness=PT6H",
                // the lagging partition must not be declared idle between its first reading and the rest
                "watermarks.idleness=PT45S"};
        JobConfig replayConfig = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), "replay-lag", settings);
        PipelineRun.Outputs inOrder = PipelineRun.replay(new Scenario(), replayConfig, model, dir.resolve("replay-lag"));
        assertThat(inOrder.alerts()).as("the replay's alerts (the oracle)").isNotEmpty();

        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run("lag"), settings);
        List<Scenario.Event> events = new Scenario().events;
        List<Scenario.Event> steady = events.stream()
                .filter(e -> e.input() == Scenario.Input.READINGS && e.customerId().equals(Scenario.STEADY)).toList();
        try (PipelineRun pipeline = new PipelineRun(config, dir.resolve("lag"))) {
            pipeline.produce(events.stream().filter(e -> e.input() != Scenario.Input.READINGS).toList());
            pipeline.produceTo(0, events.stream()
                    .filter(e -> e.input() == Scenario.Input.READINGS && !e.customerId().equals(Scenario.STEADY)).toList());
            pipeline.produceTo(1, steady.subList(0, 1));
            pipeline.start(model, UnaryOperator.identity(), UnaryOperator.identity());
            // the job has read (and checkpointed) everything but the lagging partition's backlog
            pipeline.awaitConsumed(PipelineRun.CONSUMED_TIMEOUT);
            pipeline.produceTo(1, steady.subList(1, steady.size()));

            PipelineRun.Result result = pipeline.runUntil(inOrder);

            assertThat(result.deadLetters()).as("dead letters (a lagging partition's readings are not late)").isEmpty();
            assertThat(result.outputs().segments()).isEqualTo(inOrder.segments());
            assertThat(result.outputs().alerts()).isEqualTo(inOrder.alerts());
        }
    }

    /**
     * (b) Garbage, truncated Avro, a record of another schema and a tombstone in each input topic are
     * dead-lettered with their origin and original bytes; the valid records around them (same
     * partition, before and after) are processed as if they were not there; a record of an aborted
     * transaction is not read at all.
     */
    @Test
    void badRecordsBecomeDeadLettersAndTheRestIsProcessed() throws Exception {
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run("bad"));
        List<Scenario.Event> events = new Scenario().events;
        int half = events.size() / 2;
        try (PipelineRun pipeline = new PipelineRun(config, dir.resolve("bad"))) {
            pipeline.produce(events.subList(0, half));
            List<PipelineRun.Dead> bad = new ArrayList<>();
            String key = Scenario.STEADY;
            MeterReading reading = (MeterReading) events.stream().filter(e -> e.record() instanceof MeterReading).findFirst()
                    .orElseThrow().record();
            CustomerProfile profile = (CustomerProfile) events.stream().filter(e -> e.record() instanceof CustomerProfile)
                    .findFirst().orElseThrow().record();
            Scenario.Event billing = events.stream().filter(e -> e.input() == Scenario.Input.BILLING).findFirst().orElseThrow();
            byte[] readingBytes = new AvroBinary<>(MeterReading.class).encode(reading);
            byte[] profileBytes = new AvroBinary<>(CustomerProfile.class).encode(profile);
            byte[] billingBytes = new AvroBinary<>(BillingEvent.class).encode((BillingEvent) billing.onTheWire());
            @SuppressWarnings("unchecked")
            byte[] bareBill = new AvroBinary<>((Class<SpecificRecord>) billing.record().getClass()).encode(billing.record());
            Map<String, List<byte[]>> badValues = Map.of(
                    config.meterReadingsTopic(), Arrays.asList(AvroTopicDecoderTest.GARBAGE, half(readingBytes), profileBytes,
                            AvroTopicDecoderTest.HUGE_LENGTH, null),
                    config.customerProfilesTopic(), List.of(AvroTopicDecoderTest.GARBAGE, half(profileBytes), readingBytes),
                    config.billingEventsTopic(), List.of(AvroTopicDecoderTest.GARBAGE, half(billingBytes), bareBill));
            for (Map.Entry<String, List<byte[]>> e : badValues.entrySet()) {
                for (byte[] value : e.getValue()) {
                    RecordMetadata m = pipeline.produceRaw(e.getKey(), PipelineRun.utf8(key), value);
                    bad.add(new PipelineRun.Dead(m.topic(), m.partition(), m.offset(), PipelineRun.Dead.hex(PipelineRun.utf8(key)),
                            PipelineRun.Dead.hex(value), DeadLetterReason.UNPARSEABLE));
                }
            }
            abortedGarbage(config, pipeline.client, key);
            pipeline.produce(events.subList(half, events.size()));
            pipeline.start(model, UnaryOperator.identity(), UnaryOperator.identity());

            PipelineRun.Result result = pipeline.runUntil(expected.withDeadLetters(bad));

            assertThat(result.outputs().segments()).isEqualTo(expected.segments());
            assertThat(result.outputs().alerts()).isEqualTo(expected.alerts());
            assertThat(PipelineRun.Outputs.sorted(result.outputs().deadLetters())).isEqualTo(PipelineRun.Outputs.sorted(bad));
            for (ConsumerRecord<byte[], byte[]> r : result.deadLetterRecords()) {
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).as("dead letter key").isEqualTo(key);
            }
            for (DeadLetter d : result.deadLetters()) {
                String type = d.getSourceTopic().equals(config.meterReadingsTopic()) ? "MeterReading"
                        : d.getSourceTopic().equals(config.customerProfilesTopic()) ? "CustomerProfile" : "BillingEvent";
                assertThat(d.getDetail()).as("detail of %s offset %d", d.getSourceTopic(), d.getOffset()).contains(type);
            }
        }
    }

    /**
     * (c) A job that fails twice (once while reading the input, once while writing segments) and
     * restarts from its checkpoints writes exactly the segments and alerts of a failure-free run:
     * none twice, none missing, as read_committed consumers see them.
     */
    @Test
    void failuresAndRestartsChangeNothingInTheCommittedOutputs() throws Exception {
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), run("eos"));
        Tripwire.reset();
        try (PipelineRun pipeline = new PipelineRun(config, dir.resolve("eos"))) {
            pipeline.produce(new Scenario().events);
            int segmentsBeforeFailure = expected.segmentCount() / 3;
            pipeline.start(model,
                    input -> input.map(new Tripwire<RawRecord>("input", 700))
                            .returns(TypeInformation.of(RawRecord.class)).uid("tripwire-input").name("tripwire input"),
                    outputs -> new SegmentationJob.Outputs(outputs.segments()
                            .map(new Tripwire<CustomerSegment>("segments", segmentsBeforeFailure))
                            .returns(new AvroTypeInfo<>(CustomerSegment.class)).uid("tripwire-segments").name("tripwire segments"),
                            outputs.alerts(), outputs.deadLetters()));

            PipelineRun.Outputs out = pipeline.runUntil(expected).outputs();

            assertThat(Tripwire.tripped("input")).as("failures while reading").isEqualTo(1);
            assertThat(Tripwire.tripped("segments")).as("failures while writing segments").isEqualTo(1);
            assertThat(out.segments()).isEqualTo(expected.segments());
            assertThat(out.alerts()).isEqualTo(expected.alerts());
            assertThat(out.deadLetters()).isEmpty();
            System.out.printf("exactly-once test: %d committed segments and alerts; the output logs hold %d entries (aborted records and transaction markers included)%n",
                    out.segmentCount() + out.alertCount(), pipeline.uncommittedOutputRecords());
        }
    }

    /** Throws once, when the n-th record (over all subtasks and attempts) passes; counts in statics shared with the MiniCluster. */
    static final class Tripwire<T> implements MapFunction<T, T> {
        private static final long serialVersionUID = 1L;
        private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
        private static final Map<String, AtomicInteger> TRIPPED = new ConcurrentHashMap<>();
        private final String name;
        private final int at;

        Tripwire(String name, int at) {
            this.name = name;
            this.at = at;
        }

        static void reset() {
            SEEN.clear();
            TRIPPED.clear();
        }

        static int tripped(String name) {
            return TRIPPED.getOrDefault(name, new AtomicInteger()).get();
        }

        @Override
        public T map(T value) {
            if (SEEN.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet() == at) {
                TRIPPED.computeIfAbsent(name, k -> new AtomicInteger()).incrementAndGet();
                throw new IllegalStateException("tripwire " + name + ": planned failure at record " + at);
            }
            return value;
        }
    }

    private static void abortedGarbage(JobConfig config, Properties client, String key) throws Exception {
        Properties p = KafkaClientProperties.with(client, "transactional.id", config.kafkaGroupId() + "-aborter");
        try (KafkaProducer<byte[], byte[]> tx = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            tx.initTransactions();
            tx.beginTransaction();
            tx.send(new ProducerRecord<>(config.meterReadingsTopic(), PipelineRun.utf8(key),
                    "aborted: must never be read".getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
            tx.abortTransaction();
        }
    }

    private static byte[] half(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    private static List<AlertType> alertTypes(PipelineRun.Outputs outputs, String customer) {
        return outputs.alerts().getOrDefault(customer, List.of()).stream().map(SegmentAlert::getType).toList();
    }

    private static CustomerSegment last(PipelineRun.Outputs outputs, String customer) {
        List<CustomerSegment> s = outputs.segments().get(customer);
        return s.get(s.size() - 1);
    }
}
