package io.gridtier.bench;

import io.gridtier.config.JobConfig;
import io.gridtier.generator.GroundTruth;
import io.gridtier.generator.PopulationGenerator;
import io.gridtier.generator.Trajectory;
import io.gridtier.livedemo.EventClock;
import io.gridtier.livedemo.InputEncoder;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.livedemo.OutputTopicsReader;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.KafkaJob;
import io.gridtier.kafka.TopicSetup;
import io.gridtier.livedemo.Broker;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code gridtier bench-e2e}: the end-to-end path on Kafka. Starts the project's own broker under the
 * work folder, creates fresh topics (names unique to the run), runs the production Kafka job
 * ({@link KafkaJob#environment} + {@link KafkaJob#wire}: RocksDB, exactly-once sinks, checkpoints) on a
 * local MiniCluster, produces the generated workload of {@code gridtier bench} ({@link BenchCommand.Readings}:
 * every customer's profile, then hourly (or R-per-day) readings in time order, Avro binary) — or, with
 * {@code --population DIR}, a generated population's {@code events.jsonl} in arrival order, whose scripted
 * trajectories cross thresholds and raise alerts — into the input topics, and measures
 * <ul>
 *   <li><b>end-to-end throughput</b>: input records produced / wall time from the first record sent to
 *       the moment the job's consumer group has committed (at a completed checkpoint) the end offset of
 *       every input partition;</li>
 *   <li><b>event-to-output latency</b>: for every committed segment and alert (read with
 *       {@code read_committed}), the wall time from sending the first record whose event time allowed
 *       that evaluation (event time &gt; asOf + watermarks.maxOutOfOrderness: the job's watermark is
 *       max event time - maxOutOfOrderness - 1 ms; {@link EventClock}) to reading the output; alerts also
 *       by type.</li>
 * </ul>
 * Prints figures on RESULT lines; asserts nothing. Stops everything it started.
 */
@Command(name = "bench-e2e", description = {"End to end on Kafka: throughput and latency.",
    "The project's broker under the work folder, fresh topics and the production Kafka job: input "
        + "records per second and event-to-output latency. Prints figures; stops everything it started."})
public final class EndToEndBench implements Callable<Integer> {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    /** BenchCommand's workload starts here (its readings' interval ends are START + slot x interval). */
    private static final long START = LocalDate.of(2025, 1, 1).atStartOfDay(ZONE).toInstant().toEpochMilli();

    @Mixin
    private WorkloadOptions workload = new WorkloadOptions(100_000, 2);

    @Option(names = "--checkpoint", paramLabel = "DURATION",
            description = "The job's checkpoint interval, ISO-8601 (default ${DEFAULT-VALUE}).")
    private Duration checkpoint = Duration.ofSeconds(1);

    @Option(names = "--rate", paramLabel = "RECORDS_PER_S",
            description = "Pace of the producer; 0 = as fast as it can (default ${DEFAULT-VALUE}).")
    private double rate = 0;

    @Option(names = "--work", paramLabel = "DIR", description = "The broker's and the job's files (default work/bench-e2e).")
    private Path workOption;

    @Option(names = "--kafka-port", paramLabel = "P", description = "The broker's port (default ${DEFAULT-VALUE}).")
    private int kafkaPort = 19092;

    @Option(names = "--population", paramLabel = "DIR", description = "Instead of the flat synthetic workload, produce "
            + "the events.jsonl of a population made by `gridtier generate --out DIR` (in its arrival order): customers "
            + "whose scripted trajectories (ground-truth.csv) cross key-account, churn and credit thresholds, so that "
            + "alerts are raised and timed. Replaces --customers, --days and --readings-per-day.")
    private Path population;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    private List<String> userSets = new ArrayList<>();

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath().normalize();
        Path work = workOption != null ? workOption.toAbsolutePath().normalize() : home.resolve("work/bench-e2e");
        workload.validate();
        Path events = population == null ? null : population.resolve(PopulationGenerator.EVENTS_FILE);
        if (events != null && !Files.isRegularFile(events)) {
            throw new InvalidConfigException("--population " + population + ": no " + PopulationGenerator.EVENTS_FILE
                    + " in it; make one with `bin/gridtier generate --out " + population + "` (e.g. --customers 2000 --months 14)");
        }
        long total = events == null ? workload.events() : countLines(events);

        Files.createDirectories(work.resolve("tmp"));
        // the MiniCluster's and the clients' temporary files (native libraries, ...) under the work folder
        System.setProperty("java.io.tmpdir", work.resolve("tmp").toString());
        String runId = "e2e-" + Long.toString(System.currentTimeMillis(), 36);

        Broker broker = null;
        JobClient job = null;
        OutputReader reader = null;
        Thread readerThread = null;
        JobConfig config = null;
        Properties client = null;
        boolean ok = false;
        Path runDir = work.resolve("run-" + runId);
        try {
            out.println("== Kafka broker (" + work.resolve("kafka") + ")");
            broker = Broker.startOrReuse(home, work.resolve("kafka"), kafkaPort, out);

            List<String> sets = new ArrayList<>(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=" + checkpoint,
                    "watermarks.maxOutOfOrderness=PT1H",
                    // the bench writes no bills: its empty billing partitions must not hold the
                    // per-partition watermark back for the default minute
                    "watermarks.idleness=PT2S",
                    "kafka.topics.meterReadings=" + runId + "-meter-readings",
                    "kafka.topics.customerProfiles=" + runId + "-customer-profiles",
                    "kafka.topics.billingEvents=" + runId + "-billing-events",
                    "kafka.topics.customerSegments=" + runId + "-customer-segments",
                    "kafka.topics.segmentAlerts=" + runId + "-segment-alerts",
                    "kafka.topics.deadLetters=" + runId + "-dead-letters",
                    "kafka.topics.modelUpdates=" + runId + "-model-updates",
                    "kafka.groupId=gridtier-" + runId,
                    "kafka.transactionalIdPrefix=gridtier-" + runId));
            sets.addAll(userSets);
            config = JobConfig.load(home.resolve("config/gridtier.yaml"), sets, home);
            SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
            long oooMillis = config.maxOutOfOrderness().toMillis();
            client = KafkaClientProperties.of(config);
            TopicSetup.Outcome topics = TopicSetup.ensure(config, client);
            out.println("== Topics created: " + topics.created());

            String described = events == null ? workload.describe()
                    : String.format(Locale.ROOT, "%s (%,d records)", events, total);
            out.printf(Locale.ROOT, "workload: %s input records, %s%n", described, rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f records/s", rate)
                            : "produced as fast as one producer can (unpaced)");
            out.printf(Locale.ROOT, "settings: checkpoints every %s, watermarks.maxOutOfOrderness %s, parallelism %d, "
                            + "%d partitions per topic, RocksDB managed memory %s, exactly-once sinks%n",
                    config.checkpointInterval(), config.maxOutOfOrderness(), config.parallelism(), config.kafkaPartitions(),
                    config.managedMemory());

            // the job
            StreamExecutionEnvironment env = KafkaJob.environment(config, runDir, null);
            KafkaJob.wire(env, config, model, client);
            job = env.executeAsync("gridtier bench-e2e " + runId);
            out.println("== Flink job " + job.getJobID() + " (checkpoints in " + runDir.resolve("checkpoints") + ")");

            // the committed outputs
            EventClock clock = new EventClock();
            reader = new OutputReader(config, client, clock, oooMillis);
            readerThread = new Thread(reader, "bench-e2e-output-reader");
            readerThread.setDaemon(true);
            readerThread.start();

            awaitRunning(job);
            Thread.sleep(3000); // tasks deployed and the source's readers assigned their splits

            // produce
            AtomicReference<Exception> sendFailure = new AtomicReference<>();
            Properties pp = new Properties();
            pp.putAll(client);
            pp.put("acks", "all");
            pp.put("enable.idempotence", "true");
            pp.put("linger.ms", "10");
            pp.put("batch.size", String.valueOf(256 * 1024));
            pp.put("compression.type", "lz4");
            pp.put("client.id", "gridtier-" + runId + "-producer");
            String readingsTopic = config.meterReadingsTopic();
            String profilesTopic = config.customerProfilesTopic();
            out.println("== Producing");
            long t0;
            long producedAt;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer());
                 InputFeed feed = events == null ? new SyntheticFeed(workload, config) : new PopulationFeed(events, config)) {
                t0 = System.currentTimeMillis();
                long t0n = System.nanoTime();
                long lastReport = t0n;
                for (long i = 0; i < total; i++) {
                    InputEncoder.Encoded r = feed.next();
                    clock.sent(r.eventTime(), System.currentTimeMillis());
                    producer.send(new ProducerRecord<>(r.topic(), r.key(), r.value()), (md, e) -> {
                        if (e != null) {
                            sendFailure.compareAndSet(null, e);
                        }
                    });
                    if ((i & 1023) == 0) {
                        if (sendFailure.get() != null) {
                            throw sendFailure.get();
                        }
                        long now = System.nanoTime();
                        if (rate > 0) {
                            long due = t0n + (long) (i / rate * 1e9);
                            if (due > now) {
                                Thread.sleep((due - now) / 1_000_000, (int) ((due - now) % 1_000_000));
                            }
                        }
                        if (now - lastReport > 5_000_000_000L) {
                            lastReport = now;
                            out.printf(Locale.ROOT, "   produced %,d of %,d (%.0f s); outputs read %,d%n", i, total,
                                    (now - t0n) / 1e9, reader.outputsRead());
                        }
                    }
                }
                producer.flush();
                if (sendFailure.get() != null) {
                    throw sendFailure.get();
                }
                producedAt = System.currentTimeMillis();
            }
            double produceSeconds = (producedAt - t0) / 1000.0;
            out.printf(Locale.ROOT, "   all %,d records acknowledged by the broker in %.1f s (%,.0f records/s)%n",
                    total, produceSeconds, total / produceSeconds);

            // wait until the job has committed every input record
            long committedAt;
            try (Admin admin = Admin.create(client)) {
                Map<TopicPartition, Long> ends = endOffsets(admin, List.of(readingsTopic, profilesTopic, config.billingEventsTopic()));
                long endSum = ends.values().stream().mapToLong(Long::longValue).sum();
                if (endSum != total) {
                    out.printf(Locale.ROOT, "   note: input end offsets sum to %,d, not %,d%n", endSum, total);
                }
                long lastCommitted = -1;
                long lastProgress = System.currentTimeMillis();
                long lastReport = 0;
                while (true) {
                    Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.kafkaGroupId())
                            .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                    long now = System.currentTimeMillis();
                    long sum = 0;
                    boolean all = true;
                    for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
                        OffsetAndMetadata c = committed.get(e.getKey());
                        long off = c == null ? 0 : c.offset();
                        sum += Math.min(off, e.getValue());
                        all &= off >= e.getValue();
                    }
                    if (all) {
                        committedAt = now;
                        break;
                    }
                    if (sum != lastCommitted) {
                        lastCommitted = sum;
                        lastProgress = now;
                    }
                    if (now - lastReport > 5000) {
                        lastReport = now;
                        out.printf(Locale.ROOT, "   committed by the job %,d of %,d input records (%.0f s since the first was sent); "
                                + "outputs read %,d; job %s%n", sum, total, (now - t0) / 1000.0, reader.outputsRead(), status(job));
                    }
                    String s = status(job);
                    if (s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED")) {
                        throw new IllegalStateException("the job ended: " + s);
                    }
                    if (now - lastProgress > 180_000) {
                        throw new IllegalStateException("no input committed for 180 s (at " + sum + " of " + total + ")");
                    }
                    Thread.sleep(100);
                }
            }
            double e2eSeconds = (committedAt - t0) / 1000.0;
            out.printf(Locale.ROOT, "   all input committed by the job %.1f s after the first record was sent%n", e2eSeconds);

            // let the last committed outputs reach the reader: quiet for 3 s and at least 3 checkpoints
            long quietSince = System.currentTimeMillis();
            long seen = reader.outputsRead();
            long minEnd = System.currentTimeMillis() + 3 * config.checkpointInterval().toMillis();
            while (System.currentTimeMillis() - quietSince < 3000 || System.currentTimeMillis() < minEnd) {
                Thread.sleep(200);
                if (reader.outputsRead() != seen) {
                    seen = reader.outputsRead();
                    quietSince = System.currentTimeMillis();
                }
                if (reader.failure() != null) {
                    throw new IllegalStateException("output reader failed", reader.failure());
                }
            }

            // results
            double load = loadAverage();
            out.println();
            out.printf(Locale.ROOT, "RESULT machine: %d cores, load average %.1f at the end; Flink parallelism %d, "
                            + "checkpoint interval %s, RocksDB, exactly-once sinks; %d partitions per topic; "
                            + "watermarks.maxOutOfOrderness %s; producer %s%n",
                    Runtime.getRuntime().availableProcessors(), load, config.parallelism(), config.checkpointInterval(),
                    config.kafkaPartitions(), config.maxOutOfOrderness(),
                    rate > 0 ? String.format(Locale.ROOT, "paced at %,.0f records/s", rate) : "unpaced (as fast as it can)");
            double e2eRate = total / e2eSeconds;
            out.printf(Locale.ROOT, "RESULT end-to-end: %,d input records (%s) produced and committed "
                            + "by the job in %.1f s = %,.0f records/s (target >= 50,000/s: %s); producer alone %,.0f records/s%n",
                    total, events == null ? workload.describe() : "the population " + population, e2eSeconds, e2eRate,
                    rate > 0 ? "not tested: the producer was paced" : e2eRate >= 50_000 ? "met" : "NOT met",
                    total / produceSeconds);
            if (events != null) {
                out.println(populationLine(population.resolve(PopulationGenerator.GROUND_TRUTH_FILE)));
            }
            long targetMs = config.checkpointInterval().toMillis() + 1000;
            reader.resultLines(targetMs).forEach(out::println);
            ok = true;
            return 0;
        } finally {
            out.println("== Stopping");
            if (job != null) {
                try {
                    job.cancel().get(60, TimeUnit.SECONDS);
                    for (int i = 0; i < 60 && !status(job).equals("CANCELED") && !status(job).startsWith("UNKNOWN"); i++) {
                        Thread.sleep(500);
                    }
                    out.println("   Flink job cancelled");
                } catch (Exception e) {
                    out.println("   cancelling the Flink job: " + e);
                }
            }
            if (reader != null) {
                reader.stop();
                if (readerThread != null) {
                    readerThread.join(10_000);
                }
            }
            if (config != null && client != null && broker != null && !broker.startedHere()) {
                deleteTopics(config, client); // a broker we reuse keeps running: do not leave the run's data on it
            }
            if (broker != null) {
                out.println("   " + broker.stop());
                if (ok && broker.startedHere()) {
                    Replay.deleteRecursively(work.resolve("kafka/data")); // the run's topics; the broker's logs stay
                }
            }
            if (ok) {
                Replay.deleteRecursively(runDir);
            } else {
                out.println("   kept for inspection: " + runDir + ", " + work.resolve("kafka"));
            }
            Replay.deleteRecursively(work.resolve("tmp"));
        }
    }

    private void deleteTopics(JobConfig config, Properties client) {
        try (Admin admin = Admin.create(client)) {
            admin.deleteTopics(List.of(config.meterReadingsTopic(), config.customerProfilesTopic(), config.billingEventsTopic(),
                    config.customerSegmentsTopic(), config.segmentAlertsTopic(), config.deadLettersTopic()))
                    .all().get(60, TimeUnit.SECONDS);
            out.println("   the run's topics deleted");
        } catch (Exception e) {
            out.println("   deleting the run's topics: " + e);
        }
    }

    private static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> want = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).values().forEach(d ->
                d.partitions().forEach(p -> want.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        Map<TopicPartition, Long> ends = new HashMap<>();
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e
                : admin.listOffsets(want).all().get(60, TimeUnit.SECONDS).entrySet()) {
            ends.put(e.getKey(), e.getValue().offset());
        }
        return ends;
    }

    private static void awaitRunning(JobClient job) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            String s = status(job);
            if (s.equals("RUNNING")) {
                return;
            }
            if (s.equals("FAILED") || s.equals("CANCELED") || s.equals("FINISHED")) {
                throw new IllegalStateException("the job ended before it ran: " + s);
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the job did not reach RUNNING within 120 s");
    }

    private static String status(JobClient job) {
        try {
            JobStatus s = job.getJobStatus().get(5, TimeUnit.SECONDS);
            return s.name();
        } catch (Exception e) {
            return "UNKNOWN (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Reads the committed segments, alerts and dead letters from their beginning ({@code read_committed},
     * no group, every partition assigned) and records, per segment and alert, the latency from the
     * sending of the first record that let its evaluation happen to its reading here.
     */
    static final class OutputReader implements Runnable, OutputTopicsReader.Listener {
        private final OutputTopicsReader reader;
        private final EventClock clock;
        private final long ooo;
        private volatile long outputsRead;
        private long segments;
        private long alerts;
        private long deadLetters;
        private long unattributable;
        private final LongList segmentLatencies = new LongList();
        private final LongList alertLatencies = new LongList();
        private final Map<String, Long> alertsByType = new ConcurrentHashMap<>();
        private final Map<String, LongList> alertLatenciesByType = new TreeMap<>();
        private final Map<String, Long> deadByReason = new ConcurrentHashMap<>();

        OutputReader(JobConfig config, Properties client, EventClock clock, long ooo) {
            this.reader = new OutputTopicsReader(config, client, "gridtier-bench-e2e-output-reader", 5000,
                    Duration.ofMillis(200), this);
            this.clock = clock;
            this.ooo = ooo;
        }

        @Override
        public void run() {
            reader.run();
        }

        @Override
        public synchronized void onSegment(byte[] key, CustomerSegment s, long readAtMillis) {
            if (s == null) {
                return; // a tombstone has no evaluation to time
            }
            segments++;
            latency(s.getAsOf(), readAtMillis, segmentLatencies);
        }

        @Override
        public synchronized void onAlert(SegmentAlert a, long readAtMillis) {
            alerts++;
            alertsByType.merge(String.valueOf(a.getType()), 1L, Long::sum);
            long l = latency(a.getEventTime(), readAtMillis, alertLatencies);
            if (l >= 0) {
                alertLatenciesByType.computeIfAbsent(String.valueOf(a.getType()), t -> new LongList()).add(l);
            }
        }

        @Override
        public synchronized void onDeadLetter(DeadLetter d, long readAtMillis) {
            deadLetters++;
            deadByReason.merge(String.valueOf(d.getReason()), 1L, Long::sum);
        }

        @Override
        public synchronized void onPolled(int records) {
            outputsRead += records;
        }

        /** From the sending of the first record with event time > asOf + maxOutOfOrderness (it moves the watermark to asOf). */
        private long latency(Instant asOf, long now, LongList into) {
            long sentAt = clock.firstSentAfter(asOf.toEpochMilli() + ooo);
            if (sentAt < 0) {
                unattributable++;
                return -1;
            }
            into.add(now - sentAt);
            return now - sentAt;
        }

        void stop() {
            reader.stop();
        }

        Throwable failure() {
            return reader.failure();
        }

        long outputsRead() {
            return outputsRead;
        }

        /** The RESULT lines of what was read: segment and alert latencies, then the outputs' counts. */
        synchronized List<String> resultLines(long alertTargetMs) {
            StringBuilder byType = new StringBuilder("RESULT event-to-alert latency by type:");
            alertLatenciesByType.forEach((type, latencies) -> {
                long[] sorted = latencies.sorted();
                byType.append(String.format(Locale.ROOT, " %s %,d p50 %.2f s p99 %.2f s;", type, sorted.length,
                        pct(sorted, 0.5) / 1000.0, pct(sorted, 0.99) / 1000.0));
            });
            return List.of(latencyLine("segment", segmentLatencies.sorted(), -1),
                    latencyLine("alert", alertLatencies.sorted(), alertTargetMs),
                    byType.toString(),
                    String.format(Locale.ROOT, "RESULT outputs: %,d segments, %,d alerts (%s), %,d dead letters (%s); "
                                    + "%,d outputs not attributable to a sent record",
                            segments, alerts, new TreeMap<>(alertsByType), deadLetters, new TreeMap<>(deadByReason),
                            unattributable));
        }

        private static String latencyLine(String what, long[] sorted, long targetMs) {
            String target = targetMs < 0 ? "" : String.format(Locale.ROOT, " (target p99 <= checkpoint interval + 1 s = %.1f s: %s)",
                    targetMs / 1000.0, sorted.length == 0 ? "not measured" : pct(sorted, 0.99) <= targetMs ? "met" : "NOT met");
            if (sorted.length == 0) {
                return "RESULT event-to-" + what + " latency: none measured (no committed " + what + "s)" + target;
            }
            return String.format(Locale.ROOT, "RESULT event-to-%s latency: p50 %.2f s, p99 %.2f s, max %.2f s over %,d committed %ss%s",
                    what, pct(sorted, 0.5) / 1000.0, pct(sorted, 0.99) / 1000.0, sorted[sorted.length - 1] / 1000.0,
                    sorted.length, what, target);
        }

        private static long pct(long[] sorted, double q) {
            return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    /** The records to produce, in order. */
    interface InputFeed extends AutoCloseable {
        InputEncoder.Encoded next() throws Exception;

        @Override
        default void close() throws Exception {
        }
    }

    /** {@link BenchCommand.Readings}: a record's event time is its slot's (readings' interval ends; bills ride a slot). */
    static final class SyntheticFeed implements InputFeed {
        private final BenchCommand.Readings readings;
        private final JobConfig config;
        private final int customers;
        private final long intervalMillis;
        private long index;

        SyntheticFeed(WorkloadOptions workload, JobConfig config) {
            this.readings = new BenchCommand.Readings(workload.customers, workload.perDay, workload.utility);
            this.config = config;
            this.customers = workload.customers;
            this.intervalMillis = 1440L / workload.perDay * 60_000L;
        }

        @Override
        public InputEncoder.Encoded next() {
            long i = index++;
            RawRecord r = readings.map(i);
            String topic = switch (r.sourceTopic) {
                case "customer-profiles" -> config.customerProfilesTopic();
                case "billing-events" -> config.billingEventsTopic();
                default -> config.meterReadingsTopic();
            };
            long slot = i / customers;
            long eventTime = slot == 0 ? START - 86_400_000L : START + slot * intervalMillis;
            return new InputEncoder.Encoded(topic, r.key, r.value, eventTime);
        }
    }

    /** A generated population's events.jsonl, line by line; its bad lines go as they are, to become dead letters. */
    static final class PopulationFeed implements InputFeed {
        private final BufferedReader in;
        private final InputEncoder encoder;
        private final Path file;

        PopulationFeed(Path file, JobConfig config) throws IOException {
            this.file = file;
            this.in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
            this.encoder = new InputEncoder(config);
        }

        @Override
        public InputEncoder.Encoded next() throws IOException {
            String s;
            do {
                s = in.readLine();
                if (s == null) {
                    throw new IOException(file + " ended before the records counted at the start");
                }
            } while (s.isBlank());
            return encoder.encodeLine(s);
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    private static long countLines(Path file) throws IOException {
        try (var lines = Files.lines(file, StandardCharsets.UTF_8)) {
            return lines.filter(l -> !l.isBlank()).count();
        }
    }

    /** "RESULT population: ..." with the scripted trajectories' shares, the known share that should cross thresholds. */
    private static String populationLine(Path groundTruth) throws IOException {
        if (!Files.isRegularFile(groundTruth)) {
            return "RESULT population: no " + groundTruth.getFileName() + " beside the events";
        }
        List<GroundTruth> rows = GroundTruth.read(groundTruth);
        Map<Trajectory, Long> byTrajectory = new TreeMap<>();
        rows.forEach(r -> byTrajectory.merge(r.trajectory(), 1L, Long::sum));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "RESULT population: %,d customers by scripted trajectory:", rows.size()));
        byTrajectory.forEach((t, n) -> b.append(String.format(Locale.ROOT, " %s %,d (%.1f%%)", t, n, 100.0 * n / rows.size())));
        return b.toString();
    }

    /** A growable array of longs (millions of latencies without boxing). */
    static final class LongList {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long[] sorted() {
            long[] copy = Arrays.copyOf(values, size);
            Arrays.sort(copy);
            return copy;
        }
    }
}
