package io.gridtier.localkafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) bound to
 * 127.0.0.1, with everything it writes under one work folder: {@code server.properties},
 * {@code data/} (the log dirs, metadata log included) and {@code logs/}.
 *
 * <p>Started by {@code bin/lib/kafka-broker.sh} as its own JVM for the local demo, or in-process
 * by tests through {@link #start(Path, int, int)}. A folder is formatted once; later starts reuse
 * its cluster id and data, and may use other ports (the controller quorum is static, not
 * stored in the metadata log).
 */
public final class LocalKafkaBroker implements AutoCloseable {

    /** The only line {@link #main} prints on standard output, once the broker answers clients. */
    public static final String READY_PREFIX = "KAFKA READY ";

    static final String HOST = "127.0.0.1";
    static final int NODE_ID = 1;
    static final String CONTROLLER_LISTENER = "CONTROLLER";
    static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final int port;
    private final int controllerPort;
    private final String clusterId;
    private final KafkaRaftServer server;
    private boolean closed;

    private LocalKafkaBroker(Path directory, int port, int controllerPort, String clusterId, KafkaRaftServer server) {
        this.directory = directory;
        this.port = port;
        this.controllerPort = controllerPort;
        this.clusterId = clusterId;
        this.server = server;
    }

    /**
     * Formats {@code directory} if it has never held a broker, starts the broker and returns once
     * an admin client sees it in the cluster.
     */
    public static LocalKafkaBroker start(Path directory, int port, int controllerPort) throws Exception {
        if (port == controllerPort) {
            throw new IllegalArgumentException("port and controller port must differ, both are " + port);
        }
        Path dir = directory.toAbsolutePath().normalize();
        Path dataDir = dir.resolve("data");
        Path logsDir = dir.resolve("logs");
        Files.createDirectories(dataDir);
        Files.createDirectories(logsDir);

        Properties props = serverProperties(dataDir, port, controllerPort);
        writeProperties(props, dir.resolve("server.properties"));
        String clusterId = existingClusterId(dataDir).orElseGet(() -> format(dataDir, logsDir));

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
        LocalKafkaBroker broker = new LocalKafkaBroker(dir, port, controllerPort, clusterId, server);
        try {
            server.startup();
            broker.awaitClientsAccepted(READY_TIMEOUT);
            return broker;
        } catch (Exception | Error e) {
            try {
                broker.close();
            } catch (Exception closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    static Properties serverProperties(Path dataDir, int port, int controllerPort) {
        Properties p = new Properties();
        p.setProperty("process.roles", "broker,controller");
        p.setProperty("node.id", String.valueOf(NODE_ID));
        // Static quorum: the voter set comes from this file on every start, so the ports may change
        // between restarts of the same folder (a dynamic quorum would pin them in the metadata log).
        p.setProperty("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.setProperty("listeners",
                "PLAINTEXT://" + HOST + ":" + port + "," + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.setProperty("advertised.listeners", "PLAINTEXT://" + HOST + ":" + port);
        p.setProperty("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.setProperty("inter.broker.listener.name", "PLAINTEXT");
        p.setProperty("controller.listener.names", CONTROLLER_LISTENER);
        p.setProperty("log.dirs", dataDir.toString());

        // One node: every internal topic has one replica and needs only that one in sync.
        p.setProperty("offsets.topic.replication.factor", "1");
        p.setProperty("transaction.state.log.replication.factor", "1");
        p.setProperty("transaction.state.log.min.isr", "1");
        p.setProperty("share.coordinator.state.topic.replication.factor", "1");
        p.setProperty("share.coordinator.state.topic.min.isr", "1");
        p.setProperty("default.replication.factor", "1");
        p.setProperty("min.insync.replicas", "1");
        // Fewer internal partitions than the defaults (50 / 50 / 50): the first consumer group or
        // transaction then does not wait for 50 partitions to be created and loaded.
        p.setProperty("offsets.topic.num.partitions", "4");
        p.setProperty("transaction.state.log.num.partitions", "4");
        p.setProperty("share.coordinator.state.topic.num.partitions", "4");

        // KafkaSink producers must set transaction.timeout.ms at or below this (see STACK.md).
        p.setProperty("transaction.max.timeout.ms", "900000");
        p.setProperty("group.initial.rebalance.delay.ms", "0");
        p.setProperty("auto.create.topics.enable", "false");
        p.setProperty("num.partitions", "2");
        return p;
    }

    static Optional<String> existingClusterId(Path dataDir) throws IOException {
        Path meta = dataDir.resolve("meta.properties");
        if (!Files.exists(meta)) {
            return Optional.empty();
        }
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(meta)) {
            p.load(in);
        }
        String id = p.getProperty("cluster.id");
        if (id == null || id.isBlank()) {
            throw new IllegalStateException(meta + " has no cluster.id; delete " + dataDir + " to start afresh");
        }
        return Optional.of(id);
    }

    private static String format(Path dataDir, Path logsDir) {
        String clusterId = Uuid.randomUuid().toString();
        try (PrintStream out = new PrintStream(
                Files.newOutputStream(logsDir.resolve("storage-format.log")), true, StandardCharsets.UTF_8)) {
            new Formatter()
                    .setPrintStream(out)
                    .setNodeId(NODE_ID)
                    .setClusterId(clusterId)
                    .setControllerListenerName(CONTROLLER_LISTENER)
                    .setMetadataLogDirectory(dataDir.toString())
                    .addDirectory(dataDir.toString())
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .setHasDynamicQuorum(false)
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("could not format Kafka storage in " + dataDir, e);
        }
        return clusterId;
    }

    private static void writeProperties(Properties props, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            props.store(out, "written by " + LocalKafkaBroker.class.getName() + " on every start");
        }
    }

    private void awaitClientsAccepted(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> conf = Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
        Exception last = null;
        try (Admin admin = Admin.create(conf)) {
            while (System.nanoTime() < deadline) {
                try {
                    var cluster = admin.describeCluster(new DescribeClusterOptions().timeoutMs(5_000));
                    if (!cluster.nodes().get(6, TimeUnit.SECONDS).isEmpty()
                            && clusterId.equals(cluster.clusterId().get(6, TimeUnit.SECONDS))) {
                        return;
                    }
                } catch (Exception e) {
                    last = e;
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("broker at " + bootstrapServers() + " did not answer within " + timeout, last);
    }

    public String bootstrapServers() {
        return HOST + ":" + port;
    }

    public int port() {
        return port;
    }

    public int controllerPort() {
        return controllerPort;
    }

    public String clusterId() {
        return clusterId;
    }

    public Path directory() {
        return directory;
    }

    /** Blocks until the broker has shut down, whoever asked it to. */
    public void awaitShutdown() {
        server.awaitShutdown();
    }

    /** Shuts the broker down and waits for it; calling it again does nothing. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
    }

    /** {@code --dir DIR --port PORT [--controller-port CPORT]}; the controller port defaults to PORT + 1. */
    public static void main(String[] args) {
        Path dir = null;
        Integer port = null;
        Integer controllerPort = null;
        try {
            for (int i = 0; i < args.length; i++) {
                String value = i + 1 < args.length ? args[i + 1] : null;
                switch (args[i]) {
                    case "--dir" -> dir = Path.of(required(args[i], value));
                    case "--port" -> port = Integer.parseInt(required(args[i], value));
                    case "--controller-port" -> controllerPort = Integer.parseInt(required(args[i], value));
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
                i++;
            }
            if (dir == null || port == null) {
                throw new IllegalArgumentException("--dir and --port are required");
            }
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: LocalKafkaBroker --dir DIR --port PORT [--controller-port CPORT]");
            System.exit(2);
            return;
        }
        int cport = controllerPort != null ? controllerPort : port + 1;

        // Before anything logs: the broker's log4j2 configuration writes to DIR/logs.
        Path logsDir = dir.toAbsolutePath().normalize().resolve("logs");
        System.setProperty("gridtier.kafka.logs.dir", logsDir.toString());
        if (System.getProperty("log4j2.configurationFile") == null
                && System.getProperty("log4j.configurationFile") == null) {
            System.setProperty("log4j2.configurationFile", "local-kafka-log4j2.xml");
        }

        long started = System.nanoTime();
        LocalKafkaBroker broker;
        try {
            broker = start(dir, port, cport);
        } catch (Throwable e) {
            System.err.println("Kafka broker failed to start in " + dir + ": " + e);
            e.printStackTrace();
            System.err.println("See " + logsDir.resolve("server.log"));
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "local-kafka-shutdown"));
        System.err.println("cluster " + broker.clusterId() + ", controller " + HOST + ":" + cport
                + ", started in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");
        System.out.println(READY_PREFIX + broker.bootstrapServers());
        System.out.flush();
        broker.awaitShutdown();
    }

    private static String required(String flag, String value) {
        if (value == null || value.startsWith("--")) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }
}
