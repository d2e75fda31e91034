package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.SegmentationJob;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.testkit.SharedLocalKafka;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.util.TestStreamEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

import static org.awaitility.Awaitility.await;

/**
 * One run of the Kafka job against the test broker: produces inputs, starts the job detached on the
 * test class's MiniCluster ({@link TestConfigs#miniCluster}), waits (bounded) for it to have read and checkpointed the inputs, releases
 * event time with {@link Scenario#clock} records until the outputs read with
 * {@code isolation.level=read_committed} match what is expected, then waits for one more completed
 * checkpoint and reads the outputs to their end again, so that late duplicates would show.
 */
final class PipelineRun implements AutoCloseable {
    static final Duration CONSUMED_TIMEOUT = Duration.ofSeconds(120);
    static final Duration OUTPUT_TIMEOUT = Duration.ofSeconds(150);
    private static final java.util.concurrent.atomic.AtomicInteger READERS = new java.util.concurrent.atomic.AtomicInteger();

    final JobConfig config;
    final Properties client;
    final Path workDir;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;
    /** Per input partition: the offset after the last record produced (what the job must commit). */
    private final Map<TopicPartition, Long> producedUpTo = new HashMap<>();
    private JobClient job;

    PipelineRun(JobConfig config, Path workDir) throws Exception {
        this.config = config;
        this.client = KafkaClientProperties.of(config, Map.of());
        this.workDir = workDir;
        Replay.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        TopicSetup.ensure(config, client);
        this.producer = new KafkaProducer<>(KafkaClientProperties.with(client, "acks", "all", "enable.idempotence", "true",
                "max.in.flight.requests.per.connection", "1", "linger.ms", "5"), new ByteArraySerializer(), new ByteArraySerializer());
        this.admin = Admin.create(client);
    }

    /** A dead letter as compared: where the record came from, its bytes, and the reason. */
    record Dead(String sourceTopic, int partition, long offset, String key, String value, DeadLetterReason reason) {
        static Dead of(DeadLetter d) {
            return new Dead(d.getSourceTopic(), d.getPartition(), d.getOffset(), hex(d.getKey()), hex(d.getValue()), d.getReason());
        }

        static String hex(ByteBuffer b) {
            return b == null ? null : HexFormat.of().formatHex(b.array(), b.arrayOffset() + b.position(), b.arrayOffset() + b.limit());
        }

        static String hex(byte[] b) {
            return b == null ? null : HexFormat.of().formatHex(b);
        }
    }

    /** Outputs as consumers see them: segments and alerts per customer in partition order, dead letters. */
    record Outputs(Map<String, List<CustomerSegment>> segments, Map<String, List<SegmentAlert>> alerts,
                   List<Dead> deadLetters) {
        static Outputs empty() {
            return new Outputs(new TreeMap<>(), new TreeMap<>(), new ArrayList<>());
        }

        Outputs withDeadLetters(List<Dead> dead) {
            return new Outputs(segments, alerts, new ArrayList<>(dead));
        }

        /** The same records, dead letters in any order (they come from several partitions). */
        boolean sameAs(Outputs other) {
            return segments.equals(other.segments) && alerts.equals(other.alerts) && sorted(deadLetters).equals(sorted(other.deadLetters));
        }

        /**
         * Whether these (partial) outputs can still become {@code complete}: each customer's segments and
         * alerts so far are the beginning of the complete ones (a customer's records are in one
         * partition, in order), and no dead letter is unexpected or repeated. A duplicate or a wrong
         * record shows at once instead of at the timeout.
         */
        boolean couldBecome(Outputs complete) {
            for (Map.Entry<String, List<CustomerSegment>> e : segments.entrySet()) {
                List<CustomerSegment> all = complete.segments.getOrDefault(e.getKey(), List.of());
                if (e.getValue().size() > all.size() || !all.subList(0, e.getValue().size()).equals(e.getValue())) {
                    return false;
                }
            }
            for (Map.Entry<String, List<SegmentAlert>> e : alerts.entrySet()) {
                List<SegmentAlert> all = complete.alerts.getOrDefault(e.getKey(), List.of());
                if (e.getValue().size() > all.size() || !all.subList(0, e.getValue().size()).equals(e.getValue())) {
                    return false;
                }
            }
            List<Dead> left = new ArrayList<>(complete.deadLetters);
            return deadLetters.stream().allMatch(left::remove);
        }

        static List<Dead> sorted(List<Dead> dead) {
            return dead.stream().sorted(java.util.Comparator.comparing(Dead::sourceTopic).thenComparingInt(Dead::partition)
                    .thenComparingLong(Dead::offset)).toList();
        }

        /** What differs, per customer: evaluation times (asOf) of segments and alert ids only on one side. */
        String differences(Outputs read) {
            StringBuilder b = new StringBuilder();
            java.util.Set<String> customers = new java.util.TreeSet<>(segments.keySet());
            customers.addAll(read.segments.keySet());
            for (String c : customers) {
                List<String> want = segments.getOrDefault(c, List.of()).stream().map(x -> x.getAsOf().toString()).toList();
                List<String> got = read.segments.getOrDefault(c, List.of()).stream().map(x -> x.getAsOf().toString()).toList();
                if (!want.equals(got)) {
                    List<String> missing = new ArrayList<>(want);
                    missing.removeAll(got);
                    List<String> extra = new ArrayList<>(got);
                    extra.removeAll(want);
                    b.append("segments of ").append(c).append(" (").append(want.size()).append(" expected, ").append(got.size())
                            .append(" read): missing ").append(missing).append(", unexpected ").append(extra)
                            .append(missing.isEmpty() && extra.isEmpty() ? " (same times: repeated, reordered or other content)" : "")
                            .append('\n');
                }
            }
            if (!alerts.equals(read.alerts)) {
                b.append("alerts expected ").append(alerts.values().stream().flatMap(List::stream)
                        .map(a -> a.getType() + "@" + a.getEventTime()).toList()).append(", read ").append(read.alerts.values()
                        .stream().flatMap(List::stream).map(a -> a.getType() + "@" + a.getEventTime()).toList()).append('\n');
            }
            if (!sorted(deadLetters).equals(sorted(read.deadLetters))) {
                b.append("dead letters expected ").append(sorted(deadLetters)).append("\nread ").append(sorted(read.deadLetters));
            }
            return b.toString();
        }

        int segmentCount() {
            return segments.values().stream().mapToInt(List::size).sum();
        }

        int alertCount() {
            return alerts.values().stream().mapToInt(List::size).sum();
        }

        String summary() {
            return segmentCount() + " segments " + counts(segments) + ", " + alertCount() + " alerts " + counts(alerts)
                    + ", " + deadLetters.size() + " dead letters";
        }

        private static Map<String, Integer> counts(Map<String, ? extends List<?>> byCustomer) {
            Map<String, Integer> m = new TreeMap<>();
            byCustomer.forEach((k, v) -> m.put(k, v.size()));
            return m;
        }
    }

    /** The model of the Kafka tests and what a bounded replay of the scenario with it writes. */
    record Reference(SegmentationModel model, Outputs expected) {
    }

    /**
     * The oracle of a Kafka test class, computed once in its {@code @BeforeAll}: a fresh {@code dir}, then the
     * scenario replayed (on the class's MiniCluster) with the configuration of the Kafka tests.
     */
    static Reference reference(MiniCluster cluster, Path dir) throws Exception {
        Replay.deleteRecursively(dir);
        JobConfig config = TestConfigs.forKafkaTest(SharedLocalKafka.bootstrapServers(), "replay");
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        Outputs expected = TestConfigs.onCluster(cluster, () -> replay(new Scenario(), config, model, dir.resolve("replay")));
        return new Reference(model, expected);
    }

    /** What a bounded replay of the scenario writes: the oracle the Kafka job must agree with. */
    static Outputs replay(Scenario scenario, JobConfig config, SegmentationModel model, Path dir) throws Exception {
        return replay(scenario, config, model, dir, null);
    }

    /** @param modelUpdates a JSON-lines file of model updates the replay applies, or null */
    static Outputs replay(Scenario scenario, JobConfig config, SegmentationModel model, Path dir, Path modelUpdates)
            throws Exception {
        Path events = scenario.writeJsonLines(dir.resolve("events.jsonl"));
        new Replay(config, model, null).withModelUpdates(modelUpdates).run(events, dir.resolve("out"));
        JsonLineCodec codec = new JsonLineCodec(config.zone());
        Outputs out = Outputs.empty();
        for (String line : Files.readAllLines(dir.resolve("out/segments.jsonl"), StandardCharsets.UTF_8)) {
            CustomerSegment s = (CustomerSegment) codec.decode(line, CustomerSegment.getClassSchema());
            out.segments().computeIfAbsent(s.getCustomerId(), k -> new ArrayList<>()).add(s);
        }
        for (String line : Files.readAllLines(dir.resolve("out/alerts.jsonl"), StandardCharsets.UTF_8)) {
            SegmentAlert a = (SegmentAlert) codec.decode(line, SegmentAlert.getClassSchema());
            out.alerts().computeIfAbsent(a.getCustomerId(), k -> new ArrayList<>()).add(a);
        }
        return out;
    }

    String topicOf(Scenario.Input input) {
        return switch (input) {
            case READINGS -> config.meterReadingsTopic();
            case PROFILES -> config.customerProfilesTopic();
            case BILLING -> config.billingEventsTopic();
        };
    }

    /** Produces scenario events (each topic in the order given) and returns where each record went. */
    List<RecordMetadata> produce(List<Scenario.Event> events) throws Exception {
        return produce(null, events);
    }

    /** Produces scenario events into one partition of their topic, in the order given. */
    List<RecordMetadata> produceTo(int partition, List<Scenario.Event> events) throws Exception {
        return produce(partition, events);
    }

    /** @param partition the partition of every record, or null for the key's partition */
    private List<RecordMetadata> produce(Integer partition, List<Scenario.Event> events) throws Exception {
        Map<Class<?>, AvroBinary<SpecificRecord>> binaries = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (Scenario.Event e : events) {
            SpecificRecord wire = e.onTheWire();
            @SuppressWarnings("unchecked")
            AvroBinary<SpecificRecord> binary = binaries.computeIfAbsent(wire.getClass(),
                    c -> new AvroBinary<>((Class<SpecificRecord>) c));
            sent.add(producer.send(new ProducerRecord<>(topicOf(e.input()), partition, utf8(e.customerId()), binary.encode(wire))));
        }
        producer.flush();
        List<RecordMetadata> out = new ArrayList<>();
        for (Future<RecordMetadata> f : sent) {
            out.add(noted(f.get(30, TimeUnit.SECONDS)));
        }
        return out;
    }

    /** Produces one record as is (tests use it for bad records). */
    RecordMetadata produceRaw(String topic, byte[] key, byte[] value) throws Exception {
        return noted(producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS));
    }

    private RecordMetadata noted(RecordMetadata m) {
        producedUpTo.merge(new TopicPartition(m.topic(), m.partition()), m.offset() + 1, Math::max);
        return m;
    }

    RecordMetadata sendClock() throws Exception {
        CustomerProfile clock = Scenario.clock(config.maxOutOfOrderness());
        return produceRaw(config.customerProfilesTopic(), utf8(clock.getCustomerId()),
                new AvroBinary<>(CustomerProfile.class).encode(clock));
    }

    /** Starts the job detached, on the test class's MiniCluster, with its checkpoints under the work folder. */
    void start(SegmentationModel model, UnaryOperator<DataStream<RawRecord>> input,
               UnaryOperator<SegmentationJob.Outputs> outputs) throws Exception {
        // a job that keeps failing ends (with its cause) instead of restarting until the test times out
        StreamExecutionEnvironment env = KafkaJob.environment(config, workDir, null, Map.of(
                "restart-strategy.type", "fixed-delay", "restart-strategy.fixed-delay.attempts", "10",
                "restart-strategy.fixed-delay.delay", "1 s"));
        if (!(env instanceof TestStreamEnvironment)) {
            // a local environment would start a MiniCluster of its own for this one job
            throw new IllegalStateException("register TestConfigs.miniCluster(..) as a static @RegisterExtension");
        }
        KafkaJob.wire(env, config, model, client, input, outputs);
        job = env.executeAsync(KafkaJob.JOB_NAME);
    }

    /** Waits until the job has committed (at a completed checkpoint) every offset produced so far. */
    void awaitConsumed(Duration timeout) {
        AtomicReference<Map<TopicPartition, Long>> lag = new AtomicReference<>(Map.of());
        try {
            waitFor("the job to commit every input offset", timeout, Duration.ofMillis(200)).until(() -> {
                lag.set(lag());
                if (!lag.get().isEmpty()) {
                    assertJobRunning();
                }
                return lag.get().isEmpty();
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the job had not committed all input offsets after " + timeout.toSeconds()
                    + " s; still behind on " + lag.get() + "\n" + partitionState(lag.get().keySet()), e);
        }
    }

    /**
     * Awaitility, polling in the test's thread (the Kafka clients are not shared between threads) from
     * the first evaluation on; an exception or assertion error in the condition ends the wait at once.
     */
    private static ConditionFactory waitFor(String what, Duration timeout, Duration interval) {
        return await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(interval);
    }

    /** Leaders, in-sync replicas and end offsets of some partitions, for a failure's message. */
    private String partitionState(java.util.Collection<TopicPartition> partitions) {
        try {
            StringBuilder b = new StringBuilder("broker's view: ");
            var topics = admin.describeTopics(partitions.stream().map(TopicPartition::topic).distinct().toList())
                    .allTopicNames().get(30, TimeUnit.SECONDS);
            var ends = admin.listOffsets(partitions.stream().collect(java.util.stream.Collectors.toMap(tp -> tp,
                    tp -> org.apache.kafka.clients.admin.OffsetSpec.latest()))).all().get(30, TimeUnit.SECONDS);
            for (TopicPartition tp : partitions) {
                var info = topics.get(tp.topic()).partitions().get(tp.partition());
                b.append(tp).append(" leader ").append(info.leader()).append(" isr ").append(info.isr())
                        .append(" end ").append(ends.get(tp).offset()).append("; ");
            }
            return b + "job " + job.getJobStatus().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "broker's view unavailable: " + e;
        }
    }

    private Map<TopicPartition, Long> lag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.kafkaGroupId())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> lag = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        producedUpTo.forEach((tp, end) -> {
            OffsetAndMetadata c = committed.get(tp);
            long at = c == null ? 0 : c.offset();
            if (at < end) {
                lag.put(tp, end - at);
            }
        });
        return lag;
    }

    /**
     * Releases event time and reads the outputs until they equal {@code expected} (bounded), then
     * lets one more checkpoint complete and returns everything the output topics hold.
     */
    Result runUntil(Outputs expected) throws Exception {
        awaitConsumed(CONSUMED_TIMEOUT);
        try (OutputReader reader = new OutputReader()) {
            try {
                // each round releases event time with a clock record, then reads for up to 500 ms
                waitFor("the outputs to reach the expected ones", OUTPUT_TIMEOUT, Duration.ofMillis(10)).until(() -> {
                    if (reader.outputs.sameAs(expected)) {
                        return true;
                    }
                    assertJobRunning();
                    sendClock();
                    reader.poll(Duration.ofMillis(500));
                    if (!reader.outputs.couldBecome(expected)) {
                        throw new AssertionError("the outputs hold records that are not expected (a duplicate, a wrong or"
                                + " misordered record).\nexpected: " + expected.summary() + "\nread:     "
                                + reader.outputs.summary() + "\n" + expected.differences(reader.outputs));
                    }
                    return reader.outputs.sameAs(expected);
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("the outputs did not reach the expected ones within " + OUTPUT_TIMEOUT.toSeconds()
                        + " s.\nexpected: " + expected.summary() + "\nread:     " + reader.outputs.summary()
                        + "\n" + expected.differences(reader.outputs), e);
            }
            // every output caused by what the job had read before this clock is committed once the
            // checkpoint that covers the clock has completed
            sendClock();
            awaitConsumed(CONSUMED_TIMEOUT);
            reader.readToEnd(Duration.ofSeconds(60));
            return new Result(reader.outputs, reader.deadLetterRecords, reader.deadLetterValues);
        }
    }

    private void assertJobRunning() throws Exception {
        JobStatus status = job.getJobStatus().get(30, TimeUnit.SECONDS);
        if (status.isGloballyTerminalState()) {
            try {
                job.getJobExecutionResult().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("the job ended (" + status + ")", e);
            }
            throw new AssertionError("the job ended (" + status + ")");
        }
    }

    /** Number of records in the output topics as a read_uncommitted consumer sees them (aborted ones included). */
    long uncommittedOutputRecords() {
        Properties p = KafkaClientProperties.with(client, "isolation.level", "read_uncommitted");
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return c.endOffsets(KafkaConnectors.outputPartitions(config, c)).values().stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Everything read from the outputs, with the dead letters' Kafka records and full values. */
    record Result(Outputs outputs, List<ConsumerRecord<byte[], byte[]>> deadLetterRecords, List<DeadLetter> deadLetters) {
    }

    /**
     * Reads the three output topics from the beginning with isolation.level=read_committed, through the
     * consumer the live demo and the end-to-end bench read them with ({@link KafkaConnectors#outputReader}).
     */
    final class OutputReader implements AutoCloseable {
        final Outputs outputs = Outputs.empty();
        final List<ConsumerRecord<byte[], byte[]>> deadLetterRecords = new ArrayList<>();
        final List<DeadLetter> deadLetterValues = new ArrayList<>();
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<TopicPartition> partitions;
        private final AvroBinary<CustomerSegment> segments = new AvroBinary<>(CustomerSegment.class);
        private final AvroBinary<SegmentAlert> alerts = new AvroBinary<>(SegmentAlert.class);
        private final AvroBinary<DeadLetter> deadLetters = new AvroBinary<>(DeadLetter.class);

        OutputReader() {
            consumer = KafkaConnectors.outputReader(config, client, "gridtier-test-output-reader-" + READERS.incrementAndGet(), 500);
            partitions = List.copyOf(consumer.assignment());
        }

        void poll(Duration timeout) throws Exception {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
                String topic = r.topic();
                if (topic.equals(config.customerSegmentsTopic())) {
                    CustomerSegment s = segments.decode(r.value());
                    checkKey(r, s.getCustomerId());
                    outputs.segments().computeIfAbsent(s.getCustomerId(), k -> new ArrayList<>()).add(s);
                } else if (topic.equals(config.segmentAlertsTopic())) {
                    SegmentAlert a = alerts.decode(r.value());
                    checkKey(r, a.getCustomerId());
                    outputs.alerts().computeIfAbsent(a.getCustomerId(), k -> new ArrayList<>()).add(a);
                } else {
                    DeadLetter d = deadLetters.decode(r.value());
                    outputs.deadLetters().add(Dead.of(d));
                    deadLetterRecords.add(r);
                    deadLetterValues.add(d);
                }
            }
        }

        private void checkKey(ConsumerRecord<byte[], byte[]> r, String customerId) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            if (!customerId.equals(key)) {
                throw new AssertionError(r.topic() + " record at offset " + r.offset() + " has key " + key
                        + " but is for customer " + customerId);
            }
        }

        void readToEnd(Duration timeout) {
            Map<TopicPartition, Long> end = new LinkedHashMap<>(consumer.endOffsets(partitions));
            try {
                waitFor("the end of the output topics", timeout, Duration.ofMillis(10)).until(() -> {
                    if (end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                        return true;
                    }
                    poll(Duration.ofMillis(200));
                    return false;
                });
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("could not read the output topics to their end within " + timeout.toSeconds() + " s", e);
            }
        }

        @Override
        public void close() {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Cancels the job, waits for it to end, and removes the work folder. */
    @Override
    public void close() throws Exception {
        try {
            if (job != null) {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                } catch (Exception alreadyEnded) {
                    // it failed or was cancelled before
                }
                try {
                    job.getJobExecutionResult().get(60, TimeUnit.SECONDS);
                } catch (Exception expected) {
                    // a cancelled job ends exceptionally; its slots are free for the class's next test
                }
            }
        } finally {
            producer.close(Duration.ofSeconds(10));
            admin.close(Duration.ofSeconds(10));
            Replay.deleteRecursively(workDir);
        }
    }
}
