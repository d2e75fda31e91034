package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.generator.GenerateCommand;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.KafkaJob;
import io.gridtier.kafka.TopicSetup;
import io.gridtier.livedemo.AgentService;
import io.gridtier.livedemo.Broker;
import io.gridtier.livedemo.EventStreamer;
import io.gridtier.livedemo.OutputWatcher;
import io.gridtier.model.SegmentationModel;
import io.gridtier.realdata.TianchiCommand;
import io.gridtier.replay.Replay;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * {@code gridtier demo}: the README's first command, the pipeline live. Starts a real Kafka broker,
 * generates a population once (or converts the real Tianchi enterprises with {@code --data}), runs
 * the Kafka job on a local MiniCluster (RocksDB, checkpoints under {@code <work>/run}, resumed on the
 * next run), streams the population into the input topics at an
 * accelerated pace (resumed on the next run too), starts the agents' service, and shows a summary
 * every 2 seconds until {@code --minutes} have passed or Ctrl-C; then stops everything it started.
 */
@Command(name = "demo", aliases = "live-demo", description = {
    "The live pipeline on Kafka, with a summary every 2 s.",
    "A real Kafka broker, the Kafka job and the agents' service; a generated population (or the real "
        + "enterprises of --data) streamed at --speed simulated days per second. Ctrl-C or --minutes stops "
        + "it all; a re-run resumes from the data in the work folder."})
final class DemoCommand implements Callable<Integer> {
    private static final String[] TIERS = {"KEY_ACCOUNT", "HIGH_VALUE", "STANDARD", "LOW_VALUE"};
    private static final String[] CHURN = {"LOW", "ELEVATED", "HIGH"};

    @Spec
    private CommandSpec spec;

    @Mixin
    private PopulationOptions population = new PopulationOptions(500);

    @Option(names = "--data", paramLabel = "TIANCHI.csv", description = {"Stream the real Tianchi enterprises of this "
        + "CSV instead of a generated population, e.g.", "../shared/data/tianchi-power/daily_kwh_wide.csv"})
    private Path data;

    @Option(names = "--minutes", paramLabel = "N", description = "Stop after N minutes (default: run until Ctrl-C).")
    private double minutes;

    @Option(names = "--speed", paramLabel = "DAYS_PER_SECOND",
            description = "Simulated days streamed per wall-clock second (default ${DEFAULT-VALUE}).")
    private double speed = 2;

    @Option(names = "--work", paramLabel = "DIR",
            description = "The demo's data, kept for the next run (default work/demo; work/demo-tianchi with --data).")
    private Path workOption;

    @Option(names = "--kafka-port", paramLabel = "P", description = "The broker's port (default ${DEFAULT-VALUE}).")
    private int kafkaPort = 9092;

    @Option(names = "--service-port", paramLabel = "P",
            description = "The agents' service's port (default ${DEFAULT-VALUE}).")
    private int servicePort = 8080;

    @Option(names = "--metrics-port", paramLabel = "P",
            description = "Export the job's metrics for Prometheus on this port (default: off).")
    private Integer metricsPort;

    @Option(names = "--cluster", description = "Run the job as the shaded jar on the standalone Flink cluster of "
            + "`gridtier cluster start` (work/cluster, or GRIDTIER_CLUSTER_DIR) instead of a local MiniCluster; "
            + "checkpoints in the cluster's folder. --metrics-port does not apply (the cluster's own reporter does).")
    private boolean onCluster;

    @Mixin
    private JobConfigOptions configOptions = new JobConfigOptions();

    private final PrintStream out = System.out;
    private final Path home = GridTier.home();
    private Broker broker;
    private JobClient job;
    /** With --cluster: the cluster and the job's id there (instead of {@link #job}). */
    private ClusterRun cluster;
    private String clusterJob;
    private AgentService service;
    private AgentService.Starting serviceStarting;
    private EventStreamer streamer;
    private Thread streamerThread;
    private OutputWatcher watcher;
    private Thread watcherThread;
    private volatile boolean stopped;
    private JobConfig config;
    private Path brokerDir;

    @Override
    public Integer call() throws Exception {
        Path dataFile = data == null ? null : data.toAbsolutePath().normalize();
        if (dataFile != null && !Files.isRegularFile(dataFile)) {
            throw usage("--data " + data + " is not a file (the Tianchi CSV, e.g. "
                    + "../shared/data/tianchi-power/daily_kwh_wide.csv)");
        }
        Path work = (workOption != null ? workOption : home.resolve(dataFile == null ? "work/demo" : "work/demo-tianchi"))
                .toAbsolutePath().normalize();
        if (speed <= 0) {
            throw usage("--speed must be above 0 (simulated days per wall-clock second)");
        }
        if (metricsPort != null && onCluster) {
            throw usage("--metrics-port does not apply with --cluster: a standalone cluster's metrics are its own "
                    + "(metrics.reporter.* in its config.yaml)");
        }
        if (metricsPort != null && metricsPort < 0) {
            throw usage("--metrics-port must be a port number, was '" + metricsPort + "'");
        }
        GeneratorOptions generation = null;
        if (dataFile == null) {
            try {
                generation = population.generator();
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        Files.createDirectories(work.resolve("tmp"));
        Files.createDirectories(work.resolve("logs"));
        // keep the MiniCluster's and clients' temporary files (web upload folder, native libraries) out of /tmp
        System.setProperty("java.io.tmpdir", work.resolve("tmp").toString());
        // the screen belongs to the summary: log messages go to a file
        Path jobLog = work.resolve("logs/job.log");
        System.setProperty("gridtier.demo.log", jobLog.toString());
        Configurator.reconfigure(DemoCommand.class.getResource("/log4j2-demo.xml").toURI());
        out.println("== Log of the job, Kafka clients and Flink: " + jobLog);

        Thread hook = new Thread(this::stopAll, "live-demo-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        try {
            // 1. the broker
            out.println("== Kafka broker (" + work.resolve("kafka") + ")");
            if (!Broker.running(home, work.resolve("kafka"))) {
                brokerDir = work.resolve("kafka"); // so that a Ctrl-C during the start stops it
            }
            broker = Broker.startOrReuse(home, work.resolve("kafka"), kafkaPort, out);

            List<String> sets = new ArrayList<>(List.of(
                    "kafka.bootstrapServers=" + broker.bootstrapServers(),
                    "flink.checkpointInterval=PT3S",
                    "flink.managedMemory=256m",
                    // the clock runs days per second here: a partition that falls silent (profiles change
                    // rarely) must stop holding the daily evaluations back within a second, not a minute
                    "watermarks.idleness=PT1S"));
            if (metricsPort != null) {
                sets.add("flink.metricsPort=" + metricsPort);
            }
            if (onCluster) {
                // the demo's own: a checkpoint holds offsets of this broker's topics, resumed by this demo only
                sets.add("flink.checkpointDir=file://" + work.resolve("cluster-checkpoints"));
            }
            JobConfig config = configOptions.load(sets); // the user's own --set win
            this.config = config;
            SegmentationModel model = GridTier.model(config);
            ZoneId zone = config.zone();

            // 5a. the agents' service starts in the background meanwhile (it waits for its topics itself)
            out.println("== Agents' service: starting (log " + work.resolve("logs/tier-service.log") + ")");
            serviceStarting = AgentService.start(home, work, broker.bootstrapServers(), servicePort, zone);

            // 2. the population
            Path populationDir = work.resolve("population");
            String source = dataFile == null
                    ? "generated: " + population.customers + " customers, " + population.months + " months, seed " + population.seed
                    : "Tianchi enterprises: " + dataFile;
            if (!preparePopulation(populationDir, source, dataFile, generation)) {
                return 1;
            }

            // 3. the job
            Properties client = KafkaClientProperties.of(config);
            TopicSetup.Outcome topics = TopicSetup.ensure(config, client);
            out.println("== Topics: created " + topics.created() + ", existing " + topics.existing());
            if (onCluster) {
                out.println("== Flink job (model " + model.version() + ") on the standalone cluster");
                cluster = new ClusterRun(home, ClusterRun.defaultDir(home), out);
                try {
                    clusterJob = cluster.submit(configOptions, sets, null).jobId();
                } catch (ClusterRun.Refused e) {
                    out.println(e.getMessage());
                    return 1;
                }
            } else {
                Path runDir = work.resolve("run");
                Files.createDirectories(runDir);
                Replay.deleteRecursively(runDir.resolve("tmp"));
                String restore = KafkaJob.latestCheckpointIn(runDir.resolve("checkpoints")).orElse(null);
                out.println("== Flink job (model " + model.version() + "), " + (restore == null ? "from the start"
                        : "resuming from " + restore));
                StreamExecutionEnvironment env = KafkaJob.environment(config, runDir, restore);
                KafkaJob.wire(env, config, model, client);
                job = env.executeAsync(KafkaJob.JOB_NAME);
                out.println("   job " + job.getJobID() + ", checkpoints every " + config.checkpointInterval().toSeconds()
                        + " s in " + runDir.resolve("checkpoints"));
            }

            // 4. the events
            streamer = new EventStreamer(populationDir.resolve("events.jsonl"), work.resolve("producer.offset"), config, speed);
            streamerThread = new Thread(streamer, "live-demo-producer");
            streamerThread.setDaemon(true);
            streamerThread.start();

            // 6. the outputs (for the summary)
            watcher = new OutputWatcher(config, streamer);
            watcherThread = new Thread(watcher, "live-demo-summary-consumer");
            watcherThread.setDaemon(true);
            watcherThread.start();

            // 5b. the service's address
            service = serviceStarting.awaitListening(180);
            out.printf(Locale.ROOT, "== Ready in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            String header = "Agents' page: " + service.url() + "   agent token: " + service.token()
                    + "\n   e.g. curl -s -H 'Authorization: Bearer " + service.token() + "' " + service.url() + "api/customers/<id>"
                    + "\nMetrics: " + (metricsPort == null ? "job: off (--metrics-port P exports them)"
                    : "job http://127.0.0.1:" + metricsPort + "/metrics") + "; service " + service.url()
                    + "metrics (bearer token in " + work.resolve("metrics.token") + ")";
            out.println(header);

            // 7. the live summary
            long deadline = minutes > 0 ? System.nanoTime() + (long) (minutes * 60e9) : Long.MAX_VALUE;
            long started = System.nanoTime();
            long lastSent = 0;
            long lastAt = System.nanoTime();
            boolean ansi = System.console() != null && System.getenv("NO_COLOR") == null;
            while (System.nanoTime() < deadline && !stopped) {
                Thread.sleep(Math.max(0, Math.min(2000, (deadline - System.nanoTime()) / 1_000_000)));
                if (stopped) {
                    break; // Ctrl-C: the stop hook runs
                }
                long now = System.nanoTime();
                long sent = streamer.sentThisRun();
                double rate = (sent - lastSent) / Math.max(1e-3, (now - lastAt) / 1e9);
                lastSent = sent;
                lastAt = now;
                String status = jobStatus();
                if (ansi) {
                    out.print("\033[H\033[2J");
                    out.println(header);
                }
                out.print(summary(zone, (now - started) / 1_000_000_000L, rate, status));
                out.flush();
                if (streamer.failure() != null) {
                    out.println("producer failed: " + streamer.failure());
                    return 1;
                }
                if (status.startsWith("FAILED") || status.startsWith("CANCELED") || status.startsWith("FINISHED")) {
                    out.println("the job ended: " + status);
                    return 1;
                }
                if (!service.alive()) {
                    out.println("the agents' service ended; see " + work.resolve("logs/tier-service.log"));
                }
            }
            if (!stopped) {
                out.printf(Locale.ROOT, "== %s minute(s) passed; stopping%n", minutes);
            }
            return 0;
        } finally {
            stopAll();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // Ctrl-C: the hook is running
            }
        }
    }

    /**
     * Generates (or converts) the population into {@code dir} once; a later run reuses it, but only
     * when it came from the same source (a different one would not match the job's checkpoint).
     */
    private boolean preparePopulation(Path dir, String source, Path dataFile, GeneratorOptions generation)
            throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path sourceFile = dir.resolve("source.txt");
        if (Files.isRegularFile(events) && Files.isRegularFile(sourceFile)) {
            String was = Files.readString(sourceFile).strip();
            if (!was.equals(source)) {
                throw usage("the work folder " + dir.getParent() + " holds a population of another source ("
                        + was + "); choose another --work, or delete that folder to start over");
            }
            out.println("== Population: reusing " + dir + " (" + source + ")");
            return true;
        }
        if (Files.exists(dir.getParent().resolve("producer.offset"))) {
            throw usage("the work folder " + dir.getParent() + " has the progress of an earlier run but "
                    + "not its population; delete that folder to start over");
        }
        Replay.deleteRecursively(dir);
        Files.createDirectories(dir);
        int rc;
        if (dataFile == null) {
            out.println("== Population: generating " + population.describe());
            rc = GenerateCommand.generate(generation, dir, out, System.err);
        } else {
            out.println("== Population: converting the real enterprises of " + dataFile);
            rc = TianchiCommand.convert(dataFile, events, out, System.err);
        }
        if (rc != 0) {
            return false;
        }
        Files.writeString(sourceFile, source + "\n");
        return true;
    }

    private String jobStatus() {
        if (clusterJob != null) {
            return cluster.status(clusterJob);
        }
        try {
            JobStatus s = job.getJobStatus().get(5, TimeUnit.SECONDS);
            return s.name();
        } catch (Exception e) {
            return "UNKNOWN (" + e.getClass().getSimpleName() + ")";
        }
    }

    private String summary(ZoneId zone, long elapsedSeconds, double rate, String jobStatus) {
        StringBuilder b = new StringBuilder();
        long clock = streamer.clockMillis();
        String simDate = clock == Long.MIN_VALUE ? "-" : LocalDateTime.ofInstant(Instant.ofEpochMilli(clock), zone).toString().replace('T', ' ');
        b.append(String.format(Locale.ROOT, "%n-- %02d:%02d:%02d  job %s%s%n", elapsedSeconds / 3600, elapsedSeconds / 60 % 60,
                elapsedSeconds % 60, jobStatus, service != null && !service.alive() ? "  (agents' service NOT running)" : ""));
        b.append(String.format(Locale.ROOT, "produced     %,d records this run (%,.0f/s), %,d lines of the file in all; simulated clock %s%s%n",
                streamer.sentThisRun(), rate, streamer.linesDone(), simDate, streamer.finished() ? "  [all events sent]" : ""));
        b.append(String.format(Locale.ROOT, "job lag      %s input records not yet committed by the job; producer paused %d time(s) for it%n",
                streamer.jobLag() < 0 ? "-" : String.format(Locale.ROOT, "%,d", streamer.jobLag()), streamer.pauses()));
        Map<String, Integer> counts = watcher.tierCounts();
        long asOf = watcher.maxAsOf();
        b.append(String.format(Locale.ROOT, "segments     %,d read; %,d customers, latest as of %s%n", watcher.segmentsRead(),
                watcher.customers(), asOf == Long.MIN_VALUE ? "-" : LocalDateTime.ofInstant(Instant.ofEpochMilli(asOf), zone).toLocalDate()));
        b.append("  tiers     ");
        for (String t : TIERS) {
            b.append(String.format(Locale.ROOT, "%s %,d   ", t, counts.getOrDefault(t, 0)));
        }
        b.append(String.format(Locale.ROOT, "(potential key accounts %,d)%n", counts.getOrDefault("potential", 0)));
        b.append("  churn     ");
        for (String c : CHURN) {
            b.append(String.format(Locale.ROOT, "%s %,d   ", c, counts.getOrDefault("churn " + c, 0)));
        }
        b.append('\n');
        Map<String, Long> alerts = watcher.alertsByType();
        b.append(String.format(Locale.ROOT, "alerts       %,d: %s%n", alerts.values().stream().mapToLong(Long::longValue).sum(),
                alerts.isEmpty() ? "-" : alerts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
        b.append(String.format(Locale.ROOT, "             alert ids read twice (exactly-once check, across runs): %,d%n", watcher.duplicateAlerts()));
        Map<String, Long> dead = watcher.deadLettersByReason();
        b.append(String.format(Locale.ROOT, "dead letters %,d: %s  (bad lines sent this run: %,d)%n",
                dead.values().stream().mapToLong(Long::longValue).sum(),
                dead.isEmpty() ? "-" : dead.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")),
                streamer.badLinesThisRun()));
        long[] lat = watcher.recentLatencies();
        if (lat.length == 0) {
            b.append("latency      event -> committed alert: none measured yet\n");
        } else {
            b.append(String.format(Locale.ROOT, "latency      event -> committed alert: p50 %.1f s, p99 %.1f s, max %.1f s (last %d of %d alerts of this run)%n",
                    pct(lat, 0.5) / 1000.0, pct(lat, 0.99) / 1000.0, lat[lat.length - 1] / 1000.0, lat.length, watcher.latencyCount()));
        }
        for (OutputWatcher.AlertSeen s : watcher.recentAlerts()) {
            b.append(String.format(Locale.ROOT, "  %s %-10s %-33s %s -> %s%s%n",
                    LocalDateTime.ofInstant(s.alert().getEventTime(), zone).toLocalDate(), s.alert().getCustomerId(),
                    s.alert().getType(), s.alert().getPrevious(), s.alert().getCurrent(),
                    s.latencyMillis() == null ? "" : String.format(Locale.ROOT, "  (%.1f s)", s.latencyMillis() / 1000.0)));
        }
        if (watcher.failure() != null) {
            b.append("summary consumer failed: ").append(watcher.failure()).append('\n');
        }
        return b.toString();
    }

    /** Event-to-alert latency over every alert this run caused (printed when the demo stops). */
    private void printLatencies() {
        if (watcher == null || config == null) {
            return;
        }
        long[] all = watcher.allLatencies();
        if (all.length == 0) {
            out.println("== Event-to-alert latency: no alert caused by this run's events was read");
            return;
        }
        out.printf(Locale.ROOT, "== Event-to-alert latency over this run: %,d alerts, p50 %.2f s, p99 %.2f s, max %.2f s "
                        + "(exactly-once sinks, checkpoints every %.1f s); alert ids read twice: %d%n",
                all.length, pct(all, 0.5) / 1000.0, pct(all, 0.99) / 1000.0, all[all.length - 1] / 1000.0,
                config.checkpointInterval().toMillis() / 1000.0, watcher.duplicateAlerts());
    }

    private static long pct(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.floor(q * (sorted.length - 1) + 0.5))];
    }

    /** Stops, in order, what this demo started: producer, job (its last checkpoint stays), consumer, service, broker. */
    private synchronized void stopAll() {
        if (stopped) {
            return;
        }
        stopped = true;
        printLatencies();
        long t0 = System.nanoTime();
        out.println("== Stopping");
        if (streamer != null) {
            streamer.stop();
            join(streamerThread, 30);
            out.println("   producer stopped after line " + streamer.linesDone() + " (saved in producer.offset)");
        }
        if (clusterJob != null) {
            try {
                cluster.cancel(clusterJob);
                out.println("   Flink job " + clusterJob + " on the cluster cancelled (" + jobStatus()
                        + "; its last checkpoint is kept for the next run)");
            } catch (Exception e) {
                out.println("   cancelling the Flink job on the cluster: " + e);
            }
        }
        if (job != null) {
            try {
                job.cancel().get(60, TimeUnit.SECONDS);
                // the local MiniCluster shuts down once the job reaches its terminal state
                for (int i = 0; i < 60 && !jobStatus().equals("CANCELED") && !jobStatus().startsWith("UNKNOWN"); i++) {
                    Thread.sleep(500);
                }
                out.println("   Flink job cancelled (its last checkpoint is kept for the next run)");
            } catch (Exception e) {
                out.println("   cancelling the Flink job: " + e);
            }
        }
        if (watcher != null) {
            watcher.stop();
            join(watcherThread, 10);
        }
        if (service != null) {
            out.println("   " + service.stop());
        } else if (serviceStarting != null) {
            out.println("   " + stopProcess(serviceStarting.process()));
        }
        if (broker != null) {
            out.println("   " + broker.stop());
        } else if (brokerDir != null) {
            // stopped while the broker was starting: stop what the launcher may have started by now
            out.println("   " + Broker.stopIfRunning(home, brokerDir));
        }
        out.printf(Locale.ROOT, "== Stopped in %.1f s%n", (System.nanoTime() - t0) / 1e9);
        out.flush();
    }

    private static String stopProcess(Process p) {
        if (!p.isAlive()) {
            return "agents' service ended";
        }
        p.destroy();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "agents' service stopped (pid " + p.pid() + ")";
    }

    private static void join(Thread t, int seconds) {
        if (t == null) {
            return;
        }
        try {
            t.join(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A bad command line found while running: exit 2 with the usage, as picocli's own. */
    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
