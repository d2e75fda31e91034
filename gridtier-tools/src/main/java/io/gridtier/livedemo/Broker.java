package io.gridtier.livedemo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The project's local Kafka broker, through {@code bin/lib/kafka-broker.sh}: reused when it already
 * runs on the folder, otherwise started on the preferred port (or free ones) and stopped again at
 * the end by its PID file. A broker the demo did not start is left running.
 */
public final class Broker {
    private static final Pattern READY = Pattern.compile("KAFKA READY 127\\.0\\.0\\.1:(\\d+)");

    private final Path home;
    private final Path dir;
    private final int port;
    private final boolean startedHere;

    private Broker(Path home, Path dir, int port, boolean startedHere) {
        this.home = home;
        this.dir = dir;
        this.port = port;
        this.startedHere = startedHere;
    }

    public static Broker startOrReuse(Path home, Path dir, int preferredPort, PrintStream out)
            throws IOException, InterruptedException {
        Path script = home.resolve("bin/lib/kafka-broker.sh");
        Files.createDirectories(dir);
        Processes.Result status = Processes.run(home, 30, List.of(script.toString(), "status", dir.toString()));
        if (status.exitCode() == 0) {
            Integer running = readyPort(dir);
            if (running != null) {
                out.println("Kafka broker already running on this folder: " + status.stdout().strip());
                return new Broker(home, dir, running, false);
            }
        }
        IOException last = null;
        for (int attempt = 0; attempt < 3; attempt++) {
            int port = Processes.freePort(attempt == 0 ? preferredPort : preferredPort + 100 * attempt, true);
            Path tmp = dir.resolve("tmp");
            Files.createDirectories(tmp);
            // the broker's native libraries (lz4, zstd, snappy) are unpacked into its own folder, not /tmp
            String opts = System.getenv().getOrDefault("LOCAL_KAFKA_JAVA_OPTS", "-Xmx1g") + " -Djava.io.tmpdir=" + tmp.toAbsolutePath();
            Processes.Result started = Processes.run(home, 180, List.of(script.toString(), "start", dir.toString(),
                    String.valueOf(port)), java.util.Map.of("LOCAL_KAFKA_JAVA_OPTS", opts));
            if (started.exitCode() == 0) {
                out.println(started.stdout().strip());
                return new Broker(home, dir, port, true);
            }
            last = new IOException("kafka-broker.sh start failed (exit " + started.exitCode() + "):\n"
                    + started.stdout() + started.stderr());
        }
        throw last;
    }

    /** Whether a broker of the launcher runs on the folder. */
    public static boolean running(Path home, Path dir) throws IOException, InterruptedException {
        return Files.isDirectory(dir) && Processes.run(home, 30, List.of(home.resolve("bin/lib/kafka-broker.sh").toString(),
                "status", dir.toString())).exitCode() == 0;
    }

    /**
     * Stops a broker of the folder by its PID file, for a demo interrupted while {@link #startOrReuse}
     * ran (so it does not know whether it started one).
     */
    public static String stopIfRunning(Path home, Path dir) {
        try {
            Processes.Result r = Processes.run(home, 60, List.of(home.resolve("bin/lib/kafka-broker.sh").toString(),
                    "stop", dir.toString()));
            return (r.stdout() + r.stderr()).strip();
        } catch (IOException | InterruptedException e) {
            return "stopping the Kafka broker failed: " + e;
        }
    }

    private static Integer readyPort(Path dir) throws IOException {
        Path launcher = dir.resolve("logs/launcher.out");
        if (!Files.isRegularFile(launcher)) {
            return null;
        }
        for (String line : Files.readAllLines(launcher, StandardCharsets.UTF_8)) {
            Matcher m = READY.matcher(line.strip());
            if (m.matches()) {
                return Integer.parseInt(m.group(1));
            }
        }
        return null;
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public boolean startedHere() {
        return startedHere;
    }

    /** Stops the broker if this demo started it (SIGTERM by PID, SIGKILL after 20 s: the script's rule). */
    public String stop() {
        if (!startedHere) {
            return "Kafka broker left running (it was running before the demo started)";
        }
        return stopIfRunning(home, dir);
    }
}
