package io.gridtier.livedemo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The agents' service ({@code bin/gridtier service run}) as a child process of the demo, with a fresh
 * agent token each start: its hash goes to {@code <work>/tokens.conf}, the token itself only to the
 * screen. Stopped with SIGTERM (the service closes its store cleanly), SIGKILL after 20 s.
 */
public final class AgentService {
    private static final String LISTENING = "TIER SERVICE LISTENING ";

    private final Process process;
    private final String url;
    private final String token;

    private AgentService(Process process, String url, String token) {
        this.process = process;
        this.url = url;
        this.token = token;
    }

    /**
     * Creates the tokens and starts the process; {@link #awaitListening} waits for it. Two tokens: an
     * agent's (shown on screen) and a service token for scraping {@code /metrics}, written to
     * {@code <work>/metrics.token} (owner-only) for a Prometheus {@code credentials_file}.
     */
    public static Starting start(Path home, Path work, String bootstrapServers, int preferredPort, ZoneId zone)
            throws IOException, InterruptedException {
        Path gridtier = home.resolve("bin/gridtier");
        String[] agent = newToken(home, gridtier, "agent", "demo");
        String[] scraper = newToken(home, gridtier, "service", "prometheus");
        Path tokens = work.resolve("tokens.conf");
        Files.writeString(tokens, agent[0] + "\n" + scraper[0] + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        Path metricsToken = work.resolve("metrics.token");
        Files.deleteIfExists(metricsToken);
        Files.createFile(metricsToken, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(metricsToken, scraper[1], StandardCharsets.UTF_8);
        String token = agent[1];

        int port = Processes.freePort(preferredPort, false);
        Path logs = work.resolve("logs");
        Files.createDirectories(logs);
        Path tmp = work.resolve("tmp/tier-service");
        Files.createDirectories(tmp);
        Path log = logs.resolve("tier-service.log");
        ProcessBuilder pb = new ProcessBuilder(Processes.detached(List.of(gridtier.toString(), "service", "run",
                "--bootstrap-servers", bootstrapServers, "--store", work.resolve("tier-service/store").toString(),
                "--port", String.valueOf(port), "--tokens", tokens.toString(), "--zone", zone.getId())))
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.putIfAbsent("GRIDTIER_SERVICE_JAVA_OPTS", "-Xmx512m -Djava.io.tmpdir=" + tmp.toAbsolutePath());
        return new Starting(pb.start(), log, token);
    }

    /** A service process on its way up. */
    public record Starting(Process process, Path log, String token) {
        /** Waits for the service's LISTENING line; stops the process and throws if it does not come. */
        public AgentService awaitListening(long timeoutSeconds) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            while (System.nanoTime() < deadline) {
                if (Files.isRegularFile(log)) {
                    for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
                        int at = line.indexOf(LISTENING);
                        if (at >= 0) {
                            return new AgentService(process, line.substring(at + LISTENING.length()).strip(), token);
                        }
                    }
                }
                if (!process.isAlive()) {
                    throw new IOException("the agents' service exited (code " + process.exitValue() + ") before listening:\n"
                            + Processes.tail(log, 30));
                }
                Thread.sleep(250);
            }
            stop(process);
            throw new IOException("the agents' service did not listen within " + timeoutSeconds + " s:\n" + Processes.tail(log, 30));
        }
    }

    /** {hash line for the tokens file, the token itself}, from {@code bin/gridtier service hash-token}. */
    private static String[] newToken(Path home, Path gridtier, String role, String name) throws IOException, InterruptedException {
        Processes.Result hashed = Processes.run(home, 600, List.of(gridtier.toString(), "service", "hash-token",
                "--role", role, "--name", name));
        String hashLine = lastLine(hashed.stdout());
        String token = hashed.stderr().lines().map(String::strip).filter(l -> l.startsWith("gt_")).findFirst().orElse(null);
        if (hashed.exitCode() != 0 || hashLine == null || token == null) {
            throw new IOException("bin/gridtier service hash-token failed (exit " + hashed.exitCode() + "):\n"
                    + hashed.stdout() + hashed.stderr());
        }
        return new String[] {hashLine, token};
    }

    private static String lastLine(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? null : lines.get(lines.size() - 1);
    }

    public String url() {
        return url;
    }

    public String token() {
        return token;
    }

    public boolean alive() {
        return process.isAlive();
    }

    public String stop() {
        return stop(process);
    }

    static String stop(Process process) {
        if (!process.isAlive()) {
            return "agents' service already ended (exit " + process.exitValue() + ")";
        }
        long pid = process.pid();
        process.destroy(); // SIGTERM
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
                return "agents' service (pid " + pid + ") killed after 20 s";
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        return "agents' service stopped (pid " + pid + ")";
    }
}
