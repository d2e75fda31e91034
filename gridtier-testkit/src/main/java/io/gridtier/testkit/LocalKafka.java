package io.gridtier.testkit;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The project's local Kafka broker (local-kafka module) as a separate process, for integration
 * tests: the same launcher {@code bin/lib/kafka-broker.sh} runs, on free ports, with everything it
 * writes in one folder. Stopped by its PID (SIGTERM, then SIGKILL), also if the test JVM exits
 * without reaching its clean-up. The broker is not put on the test's classpath: it is built
 * with kafka-clients 4.1.1 while the job uses 4.2.0. One broker per use; {@link SharedLocalKafka} is
 * the one broker a whole test run shares.
 */
public final class LocalKafka implements AutoCloseable {
    private static final String MAIN = "io.gridtier.localkafka.LocalKafkaBroker";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path dir;
    private final int port;
    private final Thread reaper;

    private LocalKafka(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.reaper = new Thread(process::destroyForcibly, "local-kafka-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    public static LocalKafka start(Path dir) throws Exception {
        Path module = RepoPaths.root().resolve("local-kafka/target");
        Path classpathFile = module.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile) || !Files.isDirectory(module.resolve("classes"))) {
            throw new IllegalStateException("the local-kafka module is not built (" + classpathFile + " is missing): "
                    + "run `mvn -B -pl local-kafka -am package -DskipTests` first");
        }
        String classpath = module.resolve("classes") + java.io.File.pathSeparator
                + Files.readString(classpathFile).strip();
        Files.createDirectories(dir.resolve("logs"));
        IllegalStateException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = freePortPair();
            Path out = dir.resolve("logs/launcher.out");
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx768m", "-Djava.io.tmpdir=" + dir.toAbsolutePath(), "-cp", classpath, MAIN,
                    "--dir", dir.toAbsolutePath().toString(), "--port", String.valueOf(port),
                    "--controller-port", String.valueOf(port + 1))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            LocalKafka broker = new LocalKafka(p, dir, port);
            try {
                broker.awaitReady(out);
                return broker;
            } catch (IllegalStateException e) {
                broker.close();
                last = e; // most likely a port taken between the probe and the bind: try others
            }
        }
        throw last;
    }

    private void awaitReady(Path out) {
        String ready = "KAFKA READY 127.0.0.1:" + port;
        try {
            await("the Kafka broker on port " + port).atMost(READY_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the Kafka broker exited (code " + process.exitValue()
                            + ") before it was ready:\n" + tail(out) + tail(dir.resolve("logs/server.log")));
                }
                return Files.exists(out) && Files.readAllLines(out, StandardCharsets.UTF_8).contains(ready);
            });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the Kafka broker was not ready within " + READY_TIMEOUT.toSeconds() + " s:\n"
                    + tail(out) + tail(dir.resolve("logs/server.log")), e);
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGTERM to the broker's PID; SIGKILL if it has not stopped within 20 s. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port < 65535 && free(port + 1)) {
                return port;
            }
        }
        throw new IOException("found no two free consecutive ports on 127.0.0.1");
    }

    private static boolean free(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String tail(Path file) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            List<String> lines = new ArrayList<>(Files.readAllLines(file, StandardCharsets.ISO_8859_1));
            return "---- " + file + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size())) + "\n";
        } catch (IOException e) {
            return "";
        }
    }
}
