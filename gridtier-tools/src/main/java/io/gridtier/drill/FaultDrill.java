package io.gridtier.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridtier.cluster.ClusterProcesses;
import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.generator.PopulationGenerator;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.TopicSetup;
import io.gridtier.livedemo.EventStreamer;
import io.gridtier.livedemo.OutputTopicsReader;
import io.gridtier.livedemo.Processes;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.modelops.ModelUpdatesLog;
import io.gridtier.replay.Replay;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The fault drill, a self-checking run in the manner of Flink's own end-to-end tests: a generated population
 * streamed through the project's Kafka broker into the shaded job on a standalone Flink cluster of separate
 * processes (bin/lib/flink-cluster.sh), with exactly-once sinks, and in that one run:
 * <ol>
 *   <li>an exception thrown inside the segmenter on a chosen reading (the test-only switch
 *       {@code testing.failOnceOnReadingId});</li>
 *   <li>a {@code kill -9} of a TaskManager mid-stream, and a new one started;</li>
 *   <li>a {@code kill -9} of a TaskManager while a checkpoint is in progress, and a new one started;</li>
 *   <li>a restart of the Kafka broker;</li>
 *   <li>a {@code kill -9} of the JobManager, then a restart of the whole cluster and a resubmission from the
 *       latest retained checkpoint;</li>
 *   <li>a cancel, as the live demo's Ctrl-C, and a resubmission from the newest retained checkpoint (the path on
 *       which the Kafka committer logs "already fenced ... data loss");</li>
 *   <li>a stop with a savepoint, an upgrade to the next model version (pushed while the job is down, in force
 *       from a day not yet evaluated), and the job started again from the savepoint at parallelism 3 instead of 2
 *       on one more TaskManager.</li>
 * </ol>
 * Then it reads the outputs with {@code read_committed} and checks them against a failure-free bounded replay
 * of the same events and the same model update (the production operators, in this JVM): the same set of alert
 * ids, no alert id twice, the same final segment for every customer, the same dead letters by reason. It prints
 * every figure on RESULT lines and returns whether every check held.
 */
public final class FaultDrill {
    static final String KAFKA_JOB = "io.gridtier.kafka.KafkaJob";
    /** How much faster the stream goes once every fault is injected and recovered from. */
    static final double AFTER_THE_FAULTS = 4;
    static final String CLOCK_CUSTOMER = "drill-clock";
    /** How many faults the drill injects (the list in this class's comment). */
    static final int FAULTS = 7;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RESCALED_PARALLELISM = 3;
    private static final Pattern ADDED_TASK_MANAGER = Pattern.compile("taskmanager-(\\d+) registered");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    /** What to run the drill on. */
    public record Settings(Path home, Path work, Path jobJar, GeneratorOptions population, double daysPerSecond,
                           Duration checkpointInterval, boolean injectFaults) {
    }

    /** One injected fault: when, where in the stream, and how long until the job ran and checkpointed again. */
    record Fault(String what, long injectedAtMillis, double streamPercent, long recoveredAtMillis, int restarts) {
        double recoverySeconds() {
            return (recoveredAtMillis - injectedAtMillis) / 1000.0;
        }
    }

    private final Settings settings;
    private final PrintStream out;
    private final Path clusterDir;
    private final Path kafkaDir;
    private final List<Fault> faults = new ArrayList<>();
    private int kafkaPort;
    private int restPort;
    private int rpcPort;
    private String rest;
    private String job;
    private List<Integer> liveTaskManagers = new ArrayList<>(List.of(1, 2));
    private EventFacts facts;
    /** The model version the upgrade at the savepoint brings (null when no fault is injected). */
    private ModelUpdate nextModel;

    public FaultDrill(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
        this.clusterDir = settings.work().resolve("cluster");
        this.kafkaDir = settings.work().resolve("kafka");
    }

    /** Runs the drill; true when every check held. Stops every process it started, whatever happens. */
    public boolean run() throws Exception {
        long t0 = System.nanoTime();
        Replay.deleteRecursively(settings.work());
        Files.createDirectories(settings.work());
        if (!Files.isRegularFile(settings.jobJar())) {
            throw new IllegalStateException("no shaded job jar at " + settings.jobJar()
                    + " (build it: mvn -B -pl flink-jobs -am package -DskipTests)");
        }

        // 1. the population and the failure-free replay of it: the oracle
        Path population = settings.work().resolve("population");
        GeneratorOptions g = settings.population();
        out.printf(Locale.ROOT, "== 1/6 Generating %,d customers, %d months (seed %d)%n", g.customers(), g.months(), g.seed());
        new PopulationGenerator(g).generate(population, m -> { });
        Path events = population.resolve(PopulationGenerator.EVENTS_FILE);
        JobConfig replayConfig = config(List.of());
        JsonLineCodec codec = new JsonLineCodec(replayConfig.zone());
        facts = EventFacts.of(events, replayConfig);
        String poison = facts.poisonReadingId();
        SegmentationModel model = new SegmentationModel(ModelConfig.load(replayConfig.modelFile()), replayConfig.zone());
        Path replayOut = settings.work().resolve("replay");
        Replay replay = new Replay(replayConfig, model, null);
        if (settings.injectFaults()) {
            // the upgrade's next version, which the replay applies from the same day
            nextModel = nextModel(replayConfig, facts.nextModelFrom());
            Path updates = settings.work().resolve("next-model.jsonl");
            Files.writeString(updates, codec.encode(nextModel) + "\n", StandardCharsets.UTF_8);
            replay.withModelUpdates(updates);
        }
        out.printf(Locale.ROOT, "== 2/6 Failure-free replay of %,d events (model %s%s)%n", facts.lines(), model.version(),
                nextModel == null ? "" : ", then " + nextModel.getVersion() + " from " + facts.nextModelFrom());
        replay.run(events, replayOut);
        Outputs expected = Outputs.ofReplay(replayOut, codec);
        out.printf(Locale.ROOT, "   the replay: %,d customers with segments, %,d alerts, %,d dead letters %s%n",
                expected.finalSegments.size(), expected.alertIds.size(), expected.deadLetters(), expected.deadByReason);

        JobConfig config = null;
        OutputTopicsReader reader = null;
        Thread readerThread = null;
        EventStreamer streamer = null;
        Thread streamerThread = null;
        Outputs read = new Outputs();
        try {
            // 2. the broker, the cluster and the job
            out.println("== 3/6 Starting the Kafka broker and a Flink cluster of one JobManager and two TaskManagers");
            kafkaPort = Processes.freePort(29092, true);
            script("bin/lib/kafka-broker.sh", "start", kafkaDir.toString(), String.valueOf(kafkaPort));
            restPort = Processes.freePort(28081, false);
            rpcPort = Processes.freePort(26123, false);
            startCluster();
            config = config(settings.injectFaults() ? List.of("testing.failOnceOnReadingId=" + poison) : List.of());
            Properties client = KafkaClientProperties.of(config);
            TopicSetup.ensure(config, client);
            job = submit(null);
            awaitRunningWithCheckpoint(job, 0, Duration.ofMinutes(2));
            out.println("   job " + job + " RUNNING on the cluster with a completed checkpoint");

            reader = new OutputTopicsReader(config, client, "gridtier-fault-drill-reader", 5000, Duration.ofMillis(200), read);
            readerThread = new Thread(reader, "drill-output-reader");
            readerThread.setDaemon(true);
            readerThread.start();
            streamer = new EventStreamer(events, settings.work().resolve("producer.offset"), config, settings.daysPerSecond());
            streamerThread = new Thread(streamer, "drill-producer");
            streamerThread.setDaemon(true);
            streamerThread.start();
            out.printf(Locale.ROOT, "== 4/6 Streaming at %.1f simulated days per second, injecting faults%n", settings.daysPerSecond());

            EventStreamer s = streamer;
            if (settings.injectFaults()) {
                try {
                    poisonRecord(s, facts);
                    killTaskManagerMidStream(s, facts);
                    killTaskManagerDuringACheckpoint(s, facts);
                    restartTheBroker(s, facts);
                    killTheJobManagerAndRestartTheCluster(s, facts);
                    cancelAndResumeFromTheRetainedCheckpoint(s, facts);
                    stopWithSavepointAndRescale(s, facts, config, client);
                    // nothing more is injected: the rest of the stream only has to arrive, and it is checked the same
                    s.setDaysPerSecond(settings.daysPerSecond() * AFTER_THE_FAULTS);
                    out.printf(Locale.ROOT, "   faults done at %.0f%% of the stream: the rest at %.1f simulated days per second%n",
                            100.0 * s.linesDone() / Math.max(1, facts.lines()), settings.daysPerSecond() * AFTER_THE_FAULTS);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "\n" + diagnosis(), e);
                }
            }

            out.println("== 5/6 Waiting for the stream to end and the outputs to settle");
            await("the producer to send every line", Duration.ofMinutes(5), () -> s.finished() || s.failure() != null);
            if (s.failure() != null) {
                throw new IllegalStateException("the producer failed", s.failure());
            }
            sendClockUntilSettled(config, client, s, expected, read);
        } finally {
            if (streamer != null) {
                streamer.stop();
            }
            if (reader != null) {
                reader.stop();
            }
            joinQuietly(streamerThread);
            joinQuietly(readerThread);
            stopQuietly("bin/lib/flink-cluster.sh", "stop", clusterDir.toString());
            stopQuietly("bin/lib/kafka-broker.sh", "stop", kafkaDir.toString());
        }

        // 3. the checks
        out.println("== 6/6 Checks (outputs read with isolation.level=read_committed)");
        return report(expected, read, streamer, facts, (System.nanoTime() - t0) / 1e9);
    }

    // ---- the faults -------------------------------------------------------------------------------

    private void poisonRecord(EventStreamer s, EventFacts facts) throws Exception {
        int before = exceptions(job);
        await("the poison reading to fail the job once", Duration.ofMinutes(3), () -> exceptions(job) > before);
        long at = latestExceptionTime(job);
        long checkpoints = completed(job);
        awaitRunningWithCheckpoint(job, checkpoints, Duration.ofMinutes(2));
        record("an exception inside the segmenter on reading " + facts.poisonReadingId(), at, s, facts, exceptions(job) - before);
    }

    private void killTaskManagerMidStream(EventStreamer s, EventFacts facts) throws Exception {
        await("a third of the stream sent", Duration.ofMinutes(3), () -> s.linesDone() >= facts.lines() / 3 || s.finished());
        int before = exceptions(job);
        int victim = liveTaskManagers.remove(0);
        long at = System.currentTimeMillis();
        script("bin/lib/flink-cluster.sh", "kill-taskmanager", clusterDir.toString(), String.valueOf(victim));
        addTaskManager();
        awaitRestartedAndCheckpointed(before);
        record("kill -9 of TaskManager " + victim + " mid-stream (a new one started)", at, s, facts, exceptions(job) - before);
    }

    private void killTaskManagerDuringACheckpoint(EventStreamer s, EventFacts facts) throws Exception {
        for (int attempt = 1; ; attempt++) {
            int before = exceptions(job);
            int victim = liveTaskManagers.remove(0);
            // the process found first, so that the SIGKILL follows the sighting within a millisecond (a checkpoint
            // of this job takes tens of milliseconds; the cluster script took longer than that)
            ProcessHandle tm = ClusterProcesses.process(clusterDir, "taskmanager-" + victim);
            long inProgress = awaitACheckpointInProgress();
            long at = System.currentTimeMillis();
            tm.destroyForcibly(); // SIGKILL
            tm.onExit().get();
            addTaskManager();
            awaitRestartedAndCheckpointed(before);
            // the kill was during the checkpoint only if the checkpoint then failed (the cluster serves checkpoint
            // statistics at most 100 ms old: rest.cache.checkpoint-statistics.timeout in flink-cluster.sh)
            String ended = get("/jobs/" + job + "/checkpoints/details/" + inProgress).path("status").asText("unknown");
            if (!ended.equals("COMPLETED")) {
                record("kill -9 of TaskManager " + victim + " during checkpoint " + inProgress + " (which then "
                        + ended.toLowerCase(Locale.ROOT) + "; a new TaskManager started)", at, s, facts, exceptions(job) - before);
                return;
            }
            out.printf(Locale.ROOT, "   checkpoint %d completed although TaskManager %d was killed while it was seen in "
                    + "progress: the kill came after its last acknowledgement; again (attempt %d)%n", inProgress, victim, attempt);
            if (attempt == 3) {
                throw new IllegalStateException("three TaskManager kills missed the checkpoint they were aimed at");
            }
        }
    }

    private long awaitACheckpointInProgress() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        while (System.currentTimeMillis() < deadline) {
            JsonNode stats = get("/jobs/" + job + "/checkpoints");
            if (stats.path("counts").path("in_progress").asInt() > 0) {
                for (JsonNode c : stats.path("history")) {
                    if ("IN_PROGRESS".equals(c.path("status").asText())) {
                        return c.path("id").asLong();
                    }
                }
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no checkpoint was seen in progress within 120 s");
    }

    private void restartTheBroker(EventStreamer s, EventFacts facts) throws Exception {
        int before = exceptions(job);
        long at = System.currentTimeMillis();
        script("bin/lib/kafka-broker.sh", "stop", kafkaDir.toString());
        script("bin/lib/kafka-broker.sh", "start", kafkaDir.toString(), String.valueOf(kafkaPort));
        long checkpoints = completed(job);
        awaitRunningWithCheckpoint(job, checkpoints, Duration.ofMinutes(3));
        record("restart of the Kafka broker", at, s, facts, exceptions(job) - before);
    }

    private void killTheJobManagerAndRestartTheCluster(EventStreamer s, EventFacts facts) throws Exception {
        ProcessHandle jm = ClusterProcesses.process(clusterDir, "jobmanager");
        long at = System.currentTimeMillis();
        jm.destroyForcibly(); // SIGKILL
        jm.onExit().get();
        script("bin/lib/flink-cluster.sh", "stop", clusterDir.toString());
        Path latest = latestRetainedCheckpoint(job);
        startCluster();
        String old = job;
        job = submit(latest);
        awaitRunningWithCheckpoint(job, 0, Duration.ofMinutes(3));
        checkRestoredFrom(job, latest);
        record("kill -9 of the JobManager; cluster restarted, job " + old.substring(0, 8) + " resubmitted as "
                + job.substring(0, 8) + " from " + latest.getParent().getFileName() + "/" + latest.getFileName(), at, s, facts, 1);
    }

    /**
     * What the cluster says when a fault is not recovered from: the job's state and checkpoint counts, the root
     * causes of its latest failures, and the ERROR lines of the cluster's logs (a CI run leaves nothing else).
     */
    private String diagnosis() {
        StringBuilder d = new StringBuilder("what the cluster says:\n");
        try {
            d.append("  job ").append(job).append(' ').append(state(job)).append(", checkpoints ")
                    .append(get("/jobs/" + job + "/checkpoints").path("counts")).append('\n');
            JsonNode entries = get("/jobs/" + job + "/exceptions").path("exceptionHistory").path("entries");
            for (int i = 0; i < Math.min(3, entries.size()); i++) {
                String trace = entries.get(i).path("stacktrace").asText();
                d.append("  failure ").append(i + 1).append(": ").append(trace.lines().findFirst().orElse("")).append('\n');
                trace.lines().filter(l -> l.startsWith("Caused by")).reduce((a, b) -> b)
                        .ifPresent(root -> d.append("    root cause: ").append(root).append('\n'));
            }
            try (Stream<Path> logs = Files.list(clusterDir.resolve("log"))) {
                for (Path log : logs.filter(p -> p.getFileName().toString().matches("(jobmanager|taskmanager-\\d+)\\.log")).sorted().toList()) {
                    List<String> errors = Files.readAllLines(log).stream().filter(l -> l.contains(" ERROR ")).toList();
                    errors.subList(Math.max(0, errors.size() - 5), errors.size())
                            .forEach(l -> d.append("  ").append(log.getFileName()).append(": ").append(l).append('\n'));
                }
            }
        } catch (IOException | RuntimeException e) {
            d.append("  (could not read it all: ").append(e).append(")\n");
        }
        return d.toString();
    }

    /**
     * The live demo's Ctrl-C and re-run: the job cancelled (its checkpoints retained), then submitted again from the
     * newest one. On restore the Kafka committer re-commits that checkpoint's transactions, which the cancelled job
     * had committed, and logs "already fenced ... data loss" (docs/known-limits.md); the checks show nothing is lost.
     */
    private void cancelAndResumeFromTheRetainedCheckpoint(EventStreamer s, EventFacts facts) throws Exception {
        long at = System.currentTimeMillis();
        ClusterProcesses.cancel(rest, job);
        await("job " + job + " CANCELED", Duration.ofMinutes(1), () -> "CANCELED".equals(state(job)));
        Path latest = latestRetainedCheckpoint(job);
        String old = job;
        job = submit(latest);
        awaitRunningWithCheckpoint(job, 0, Duration.ofMinutes(3));
        checkRestoredFrom(job, latest);
        record("cancel (the demo's Ctrl-C); job " + old.substring(0, 8) + " submitted again as " + job.substring(0, 8)
                + " from its newest retained checkpoint " + latest.getFileName(), at, s, facts, 0);
    }

    private void stopWithSavepointAndRescale(EventStreamer s, EventFacts facts, JobConfig config, Properties client)
            throws Exception {
        long at = System.currentTimeMillis();
        JsonNode trigger = post("/jobs/" + job + "/stop", "{\"targetDirectory\":\""
                + clusterDir.resolve("savepoints").toUri() + "\",\"drain\":false}");
        String request = trigger.path("request-id").asText();
        if (request.isEmpty()) {
            throw new IllegalStateException("the JobManager did not take the stop-with-savepoint request: " + trigger);
        }
        String[] location = new String[1];
        await("the savepoint of job " + job, Duration.ofMinutes(3), () -> {
            JsonNode r = get("/jobs/" + job + "/savepoints/" + request);
            if (!"COMPLETED".equals(r.path("status").path("id").asText())) {
                return false;
            }
            if (r.path("operation").has("failure-cause")) {
                throw new IllegalStateException("the savepoint failed: " + r.path("operation").path("failure-cause"));
            }
            location[0] = r.path("operation").path("location").asText();
            return true;
        });
        await("job " + job + " FINISHED after its savepoint", Duration.ofMinutes(1), () -> "FINISHED".equals(state(job)));
        Path savepoint = Path.of(URI.create(location[0]));
        // the next version: a model change, pushed while the job is down, in force from a day the job has not yet
        // evaluated (it has seen no event of that day), as the replay applies it
        long nextFrom = nextModel.getEffectiveFrom().toEpochMilli();
        if (s.clockMillis() >= nextFrom) {
            throw new IllegalStateException("the upgrade came too late: the stream is at "
                    + Instant.ofEpochMilli(s.clockMillis()) + ", past " + nextModel.getEffectiveFrom() + " from which the next"
                    + " model applies (the line at " + Math.round(EventFacts.NEXT_MODEL_AT * 100) + "% of the file)");
        }
        ModelUpdatesLog.push(config, client, nextModel);
        addTaskManager();
        String old = job;
        job = submit(savepoint, List.of("flink.parallelism=" + RESCALED_PARALLELISM));
        awaitRunningWithCheckpoint(job, 0, Duration.ofMinutes(3));
        checkRestoredFrom(job, savepoint);
        int parallelism = 0;
        for (JsonNode vertex : get("/jobs/" + job).path("vertices")) {
            parallelism = Math.max(parallelism, vertex.path("parallelism").asInt());
        }
        record("stop with savepoint " + savepoint.getFileName() + "; the next model version " + nextModel.getVersion()
                + " (" + NEXT_MODEL_CHANGE + ", from " + facts.nextModelFrom() + ") pushed; job " + old.substring(0, 8)
                + " started again as " + job.substring(0, 8) + " at parallelism " + parallelism + " (was 2)", at, s, facts, 0);
    }

    static final String NEXT_MODEL_CHANGE = "HIGH_VALUE entered at 52 instead of 55";

    /**
     * The upgrade's next version: the start-up model with a lower HIGH_VALUE threshold, under a new version, in
     * force from the start of {@code from}. A change that keeps the state as it is (models hold none of their own).
     */
    static ModelUpdate nextModel(JobConfig config, LocalDate from) throws IOException {
        String text = Files.readString(config.modelFile(), StandardCharsets.UTF_8);
        String version = ModelConfig.parse(text, "model file " + config.modelFile()).version();
        String next = text.replaceFirst("(?m)^version: .*$", "version: " + version + "-drill-next")
                .replaceFirst("(?m)^(\\s*)HIGH_VALUE: \\{enter: 55, exit: 50\\}", "$1HIGH_VALUE: {enter: 52, exit: 47}");
        if (!next.contains("HIGH_VALUE: {enter: 52, exit: 47}")) {
            throw new IllegalStateException(config.modelFile() + " no longer has HIGH_VALUE: {enter: 55, exit: 50}, which "
                    + "the drill's next model version changes (FaultDrill.nextModel)");
        }
        return ModelUpdatesLog.updateOf(next, "the drill's next model version", from.atStartOfDay(config.zone()).toInstant(),
                "fault-drill", config.zone());
    }

    /**
     * The job restored exactly what it was submitted with: a job that picks its own checkpoint (the newest in
     * the folder, as a local run does) would replay outputs already committed after the one asked for.
     */
    private void checkRestoredFrom(String jobId, Path asked) {
        String restored = get("/jobs/" + jobId + "/checkpoints").path("latest").path("restored").path("external_path").asText();
        Path restoredPath = restored.startsWith("file:") ? Path.of(URI.create(restored)) : Path.of(restored);
        if (!restoredPath.normalize().equals(asked.toAbsolutePath().normalize())) {
            throw new IllegalStateException("job " + jobId + " was submitted to restore " + asked + " but restored '"
                    + restored + "'");
        }
    }

    private void record(String what, long at, EventStreamer s, EventFacts facts, int restarts) {
        Fault f = new Fault(what, at, 100.0 * s.linesDone() / Math.max(1, facts.lines()), System.currentTimeMillis(), restarts);
        faults.add(f);
        out.printf(Locale.ROOT, "   fault %d: %s at %.0f%% of the stream; running and checkpointing again after %.1f s%n",
                faults.size(), what, f.streamPercent(), f.recoverySeconds());
    }

    // ---- the end of the stream and the checks ------------------------------------------------------

    /**
     * Sends a profile of a customer that does not exist, dated so that the watermark it raises (its time less the
     * allowed disorder) is the end of the last day with events, as a bounded replay ends; again each round, since
     * a restored job starts without a watermark.
     */
    private void sendClockUntilSettled(JobConfig config, Properties client, EventStreamer s, Outputs expected, Outputs read)
            throws Exception {
        LocalDate lastDay = Instant.ofEpochMilli(s.clockMillis() - 1).atZone(config.zone()).toLocalDate();
        Instant at = lastDay.plusDays(1).atStartOfDay(config.zone()).toInstant().plus(config.maxOutOfOrderness()).plusMillis(1);
        CustomerProfile clock = CustomerProfile.newBuilder().setCustomerId(CLOCK_CUSTOMER)
                .setCategory(CustomerCategory.RESIDENTIAL).setVoltageKv(0.4).setAccountOpened(lastDay.minusYears(1))
                .setStatus(CustomerStatus.ACTIVE).setUpdatedAt(at).build();
        byte[] value = new AvroBinary<>(CustomerProfile.class).encode(clock);
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            long deadline = System.currentTimeMillis() + 240_000;
            long stableSince = 0;
            while (System.currentTimeMillis() < deadline) {
                producer.send(new ProducerRecord<>(config.customerProfilesTopic(),
                        CLOCK_CUSTOMER.getBytes(StandardCharsets.UTF_8), value)).get();
                Thread.sleep(1000);
                if (read.matches(expected)) {
                    // one more checkpoint interval and a bit: anything wrong that was still coming shows now
                    if (stableSince == 0) {
                        stableSince = System.currentTimeMillis();
                    } else if (System.currentTimeMillis() - stableSince > 3 * config.checkpointInterval().toMillis() + 2000) {
                        return;
                    }
                } else {
                    stableSince = 0;
                    if (System.currentTimeMillis() - read.lastReadAt > 120_000) {
                        return; // two idleness timeouts with nothing new: what differs now stays different
                    }
                }
            }
        }
    }

    private boolean report(Outputs expected, Outputs read, EventStreamer s, EventFacts facts, double seconds) {
        List<String> problems = new ArrayList<>();
        Set<String> missing = new HashSet<>(expected.alertIds);
        missing.removeAll(read.alertIds);
        Set<String> extra = new HashSet<>(read.alertIds);
        extra.removeAll(expected.alertIds);
        long duplicates = read.alertsRead.get() - read.alertIds.size();
        int wrongClassifications = 0;
        int scoresOnly = 0;
        List<String> examples = new ArrayList<>();
        List<String> differences = new ArrayList<>();
        JsonLineCodec codec = new JsonLineCodec(java.time.ZoneId.of("UTC"));
        for (Map.Entry<String, CustomerSegment> e : expected.finalSegments.entrySet()) {
            CustomerSegment got = read.finalSegments.get(e.getKey());
            if (e.getValue().equals(got)) {
                continue;
            }
            differences.add("replay " + codec.encode(e.getValue()));
            differences.add("job    " + (got == null ? "(none)" : codec.encode(got)));
            if (got != null && Outputs.classification(got).equals(Outputs.classification(e.getValue()))) {
                scoresOnly++;
            } else {
                wrongClassifications++;
                if (examples.size() < 3) {
                    examples.add(e.getKey() + ": " + Outputs.classification(e.getValue()) + " in the replay, "
                            + (got == null ? "nothing" : Outputs.classification(got)) + " from the job");
                }
            }
        }
        Path differencesFile = settings.work().resolve("segment-differences.txt");
        try {
            Files.write(differencesFile, differences, StandardCharsets.UTF_8);
        } catch (IOException e) {
            differencesFile = null;
        }
        Set<String> unexpectedCustomers = new HashSet<>(read.finalSegments.keySet());
        unexpectedCustomers.removeAll(expected.finalSegments.keySet());
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " alerts of the replay never committed (lost), e.g. " + missing.iterator().next());
        }
        if (!extra.isEmpty()) {
            problems.add(extra.size() + " alerts the replay does not have, e.g. " + extra.iterator().next());
        }
        if (duplicates != 0) {
            problems.add(duplicates + " alert ids committed more than once");
        }
        if (wrongClassifications != 0) {
            problems.add(wrongClassifications + " customers whose final tier, flags or treatment differ from the replay's: "
                    + examples + (differencesFile == null ? "" : "; both segments of each in " + differencesFile));
        }
        if (!unexpectedCustomers.isEmpty()) {
            problems.add(unexpectedCustomers.size() + " customers with segments the replay does not have: "
                    + unexpectedCustomers.stream().limit(3).toList());
        }
        if (read.deadLetters() != expected.deadLetters()) {
            problems.add(read.deadLetters() + " dead letters " + read.deadByReason + ", the replay's " + expected.deadLetters()
                    + " " + expected.deadByReason);
        }
        if (read.deadLettersTwice.get() != 0) {
            problems.add(read.deadLettersTwice.get() + " input records dead-lettered twice (the same topic, partition and offset)");
        }
        long underNext = nextModel == null ? 0 : underVersion(read, nextModel.getVersion());
        if (nextModel != null && underNext == 0) {
            problems.add("no final segment was evaluated with the next model version " + nextModel.getVersion());
        }
        if (settings.injectFaults() && faults.size() != FAULTS) {
            problems.add("only " + faults.size() + " of " + FAULTS + " faults were injected");
        }
        out.printf(Locale.ROOT, "RESULT faults injected: %d; recovery (running and checkpointing again) %s%n", faults.size(),
                faults.stream().map(f -> String.format(Locale.ROOT, "%.1f s", f.recoverySeconds())).toList());
        for (int i = 0; i < faults.size(); i++) {
            Fault f = faults.get(i);
            out.printf(Locale.ROOT, "RESULT fault %d: %s | at %.0f%% of the stream | recovered in %.1f s%n", i + 1, f.what(),
                    f.streamPercent(), f.recoverySeconds());
        }
        out.printf(Locale.ROOT, "RESULT records checked: %,d input lines sent (%,d undecodable); %,d customers' final segments,"
                        + " %,d alert ids, %,d dead letters compared with the failure-free replay%n",
                s.sentThisRun(), s.badLinesThisRun(), expected.finalSegments.size(), expected.alertIds.size(), expected.deadLetters());
        out.printf(Locale.ROOT, "RESULT duplicates %d, lost %d, unexpected %d, classifications differing %d, dead letters %d (replay %d),"
                        + " dead letters twice %d%n", duplicates, missing.size(), extra.size(), wrongClassifications, read.deadLetters(),
                expected.deadLetters(), read.deadLettersTwice.get());
        out.printf(Locale.ROOT, "RESULT Kafka committer errors on restore (\"already fenced ... data loss\"): %d logged; "
                + "alerts lost %d and twice %d all the same%n", fencedCommitErrors(), missing.size(), duplicates);
        if (nextModel != null) {
            out.printf(Locale.ROOT, "RESULT next model version %s in force for %d of %d final segments (the replay's: %d)%n",
                    nextModel.getVersion(), underNext, read.finalSegments.size(), underVersion(expected, nextModel.getVersion()));
        }
        out.printf(Locale.ROOT, "RESULT final segments identical in every field: %d of %d; %d differ only in the scores' decimals "
                        + "or the day they were last emitted%s%n", expected.finalSegments.size() - wrongClassifications - scoresOnly,
                expected.finalSegments.size(), scoresOnly, scoresOnly == 0 || differencesFile == null ? ""
                        : " (a correction within the window can reach the job before its watermark passes the day and the "
                        + "bounded replay after; both in " + differencesFile.getFileName() + ")");
        out.printf(Locale.ROOT, "RESULT fault drill %s in %.0f s on %d cores%n", problems.isEmpty() ? "PASSED" : "FAILED",
                seconds, Runtime.getRuntime().availableProcessors());
        problems.forEach(p -> out.println("PROBLEM " + p));
        return problems.isEmpty();
    }

    private static long underVersion(Outputs outputs, String modelVersion) {
        return outputs.finalSegments.values().stream().filter(seg -> seg.getModelVersion().equals(modelVersion)).count();
    }

    // ---- the cluster through its scripts and REST API ----------------------------------------------

    private void startCluster() throws Exception {
        script("bin/lib/flink-cluster.sh", "start", clusterDir.toString(), "--taskmanagers", "2", "--slots", "1",
                "--rest-port", String.valueOf(restPort), "--rpc-port", String.valueOf(rpcPort));
        rest = "http://127.0.0.1:" + restPort;
        liveTaskManagers = new ArrayList<>(List.of(1, 2));
    }

    /** Starts one more TaskManager; the script reuses the number of a dead one ("taskmanager-N registered"). */
    private void addTaskManager() throws Exception {
        String said = script("bin/lib/flink-cluster.sh", "add-taskmanager", clusterDir.toString());
        Matcher m = ADDED_TASK_MANAGER.matcher(said);
        if (!m.find()) {
            throw new IllegalStateException("add-taskmanager did not say which TaskManager it started: " + said);
        }
        liveTaskManagers.add(Integer.parseInt(m.group(1)));
    }

    private String submit(Path fromCheckpoint) throws Exception {
        return submit(fromCheckpoint, List.of());
    }

    private String submit(Path fromCheckpoint, List<String> moreSets) throws Exception {
        List<String> args = new ArrayList<>(List.of("submit", clusterDir.toString()));
        if (fromCheckpoint != null) {
            args.addAll(List.of("--from", fromCheckpoint.toString()));
        }
        args.addAll(List.of(settings.jobJar().toString(), KAFKA_JOB, "--config",
                settings.home().resolve("config/gridtier.yaml").toString()));
        List<String> more = new ArrayList<>(moreSets);
        if (settings.injectFaults()) {
            more.add("testing.failOnceOnReadingId=" + facts.poisonReadingId());
        }
        for (String set : sets(more)) {
            args.addAll(List.of("--set", set));
        }
        String id = script("bin/lib/flink-cluster.sh", args.toArray(String[]::new)).strip();
        if (!id.matches("[0-9a-f]{32}")) {
            throw new IllegalStateException("the cluster did not answer a job id: " + id);
        }
        return id;
    }

    /** The committer's "already fenced" errors in the TaskManagers' logs (kept across cluster restarts). */
    private long fencedCommitErrors() {
        try (Stream<Path> logs = Files.list(clusterDir.resolve("log"))) {
            long n = 0;
            for (Path log : logs.filter(f -> f.getFileName().toString().matches("taskmanager-\\d+\\.log")).toList()) {
                try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
                    n += lines.filter(l -> l.contains("KafkaCommitter") && l.contains("fenced")).count();
                }
            }
            return n;
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    /** The newest completed checkpoint of {@code job} under the cluster's checkpoint folder (one with _metadata). */
    private Path latestRetainedCheckpoint(String jobId) throws IOException {
        Path dir = clusterDir.resolve("checkpoints").resolve(jobId);
        try (Stream<Path> chk = Files.list(dir)) {
            return chk.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.isRegularFile(p.resolve("_metadata")))
                    .max(java.util.Comparator.comparingLong(p -> Long.parseLong(p.getFileName().toString().substring(4))))
                    .orElseThrow(() -> new IllegalStateException("no retained checkpoint under " + dir));
        }
    }

    private void awaitRunningWithCheckpoint(String jobId, long completedBefore, Duration timeout) {
        await("job " + jobId + " RUNNING with a checkpoint completed after the fault", timeout,
                () -> "RUNNING".equals(state(jobId)) && completed(jobId) > completedBefore);
    }

    /**
     * The restart in the exception history, then a checkpoint completed after it: counted once the failure is
     * known, since one may complete between the fault and the job noticing it (one in flight is aborted).
     */
    private void awaitRestartedAndCheckpointed(int exceptionsBefore) {
        await("the job restarted after the fault", Duration.ofMinutes(2), () -> exceptions(job) > exceptionsBefore);
        awaitRunningWithCheckpoint(job, completed(job), Duration.ofMinutes(3));
    }

    private String state(String jobId) {
        return get("/jobs/" + jobId).path("state").asText();
    }

    private long completed(String jobId) {
        return get("/jobs/" + jobId + "/checkpoints").path("counts").path("completed").asLong();
    }

    private int exceptions(String jobId) {
        return get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries").size();
    }

    private long latestExceptionTime(String jobId) {
        JsonNode entries = get("/jobs/" + jobId + "/exceptions").path("exceptionHistory").path("entries");
        return entries.size() == 0 ? System.currentTimeMillis() : entries.get(0).path("timestamp").asLong();
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : JSON.missingNode();
        } catch (IOException e) {
            return JSON.missingNode(); // the REST endpoint is down while the cluster restarts
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return JSON.missingNode();
        }
    }

    private JsonNode post(String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("POST " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for " + what);
            }
        }
    }

    private String script(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", settings.home().resolve(script).toString()));
        command.addAll(List.of(args));
        Processes.Result r = Processes.run(settings.home(), 360, command,
                Map.of("LOCAL_KAFKA_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + settings.work().resolve("tmp")));
        if (r.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed (exit " + r.exitCode() + "):\n"
                    + r.stdout() + r.stderr());
        }
        String[] lines = r.stdout().strip().split("\n");
        return lines[lines.length - 1];
    }

    private void stopQuietly(String script, String... args) {
        try {
            script(script, args);
        } catch (Exception e) {
            out.println("   (stopping: " + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }

    private static void joinQuietly(Thread t) throws InterruptedException {
        if (t != null) {
            t.join(30_000);
        }
    }

    private JobConfig config(List<String> more) {
        return JobConfig.load(settings.home().resolve("config/gridtier.yaml"), sets(more), settings.home());
    }

    private List<String> sets(List<String> more) {
        List<String> sets = new ArrayList<>(List.of(
                "kafka.bootstrapServers=127.0.0.1:" + (kafkaPort > 0 ? kafkaPort : 9092), // the replay reads no Kafka
                "flink.checkpointDir=file://" + clusterDir.resolve("checkpoints"),
                "flink.checkpointInterval=" + settings.checkpointInterval()));
        sets.addAll(more);
        return sets;
    }
}
