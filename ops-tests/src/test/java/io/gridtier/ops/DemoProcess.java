package io.gridtier.ops;

import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * {@code bin/gridtier demo} as a newcomer runs it, in a child process whose output goes to a file:
 * a real Kafka broker, the Kafka job on a MiniCluster, the agents' service. Tests read the output
 * as it grows, talk to the page and the metrics endpoints, and stop it like a user (Ctrl-C).
 */
final class DemoProcess implements AutoCloseable {
    private static final Pattern PAGE = Pattern.compile("Agents' page: (\\S+)\\s+agent token: (\\S+)");

    final Path work;
    final Path log;
    final int kafkaPort;
    final int servicePort;
    final int metricsPort;
    private final Process process;

    private DemoProcess(Path work, Path log, int kafkaPort, int servicePort, int metricsPort, Process process) {
        this.work = work;
        this.log = log;
        this.kafkaPort = kafkaPort;
        this.servicePort = servicePort;
        this.metricsPort = metricsPort;
        this.process = process;
    }

    /** Starts {@code bin/gridtier demo --work WORK --kafka-port .. --service-port .. --metrics-port .. ARGS}. */
    static DemoProcess start(Path work, String logName, int kafkaPort, int servicePort, int metricsPort, String... args)
            throws IOException {
        Files.createDirectories(work);
        Path log = work.getParent().resolve(logName);
        List<String> cmd = new ArrayList<>(List.of(Repo.ROOT.resolve("bin/gridtier").toString(), "demo",
                "--work", work.toString(), "--kafka-port", String.valueOf(kafkaPort),
                "--service-port", String.valueOf(servicePort), "--metrics-port", String.valueOf(metricsPort)));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(Repo.ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().put("NO_COLOR", "1");
        pb.environment().putIfAbsent("GRIDTIER_JAVA_OPTS", "-Xmx2g");
        return new DemoProcess(work, log, kafkaPort, servicePort, metricsPort, pb.start());
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String output() {
        try {
            return Files.isRegularFile(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until the output contains {@code text}; fails with the output's tail if the demo ends first. */
    String awaitOutput(String text, int timeoutSeconds) {
        try {
            return await("the demo to print '" + text + "'").atMost(Duration.ofSeconds(timeoutSeconds))
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250)).until(() -> {
                        String out = output();
                        if (!out.contains(text) && !process.isAlive()) {
                            throw new AssertionError("the demo ended (exit " + process.exitValue() + ") before printing '"
                                    + text + "':\n" + tail(out, 60));
                        }
                        return out;
                    }, out -> out.contains(text));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the demo did not print '" + text + "' within " + timeoutSeconds + " s:\n"
                    + tail(output(), 60), e);
        }
    }

    /** The agents' page address and the demo agent token, once printed. */
    String[] pageAndToken(int timeoutSeconds) {
        String out = awaitOutput("agent token: ", timeoutSeconds);
        Matcher m = PAGE.matcher(out);
        if (!m.find()) {
            throw new AssertionError("no 'Agents' page: URL   agent token: TOKEN' line in:\n" + tail(out, 40));
        }
        return new String[] {m.group(1), m.group(2)};
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Ctrl-C: SIGINT to the demo's JVM (bin/gridtier exec's java, so the child is the JVM). */
    void interrupt() throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
    }

    int waitFor(int timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the demo did not end within " + timeoutSeconds + " s:\n" + tail(output(), 40));
        }
        return process.exitValue();
    }

    /** Processes (other than this JVM) whose command line names the demo's work folder. */
    List<String> processesUsingWork() {
        return processesUsing(work.toString());
    }

    /** Processes (other than this JVM) whose arguments contain {@code needle}. */
    static List<String> processesUsing(String needle) {
        List<String> found = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        ProcessHandle.allProcesses().filter(p -> p.pid() != self).forEach(p -> p.info().arguments().ifPresent(args -> {
            if (String.join(" ", args).contains(needle)) {
                found.add(p.pid() + ": " + p.info().commandLine().orElse("?"));
            }
        }));
        return found;
    }

    static String tail(String text, int lines) {
        String[] all = text.split("\n", -1);
        return String.join("\n", java.util.Arrays.copyOfRange(all, Math.max(0, all.length - lines), all.length));
    }

    /** Last resort if a test fails midway: stop the demo like Ctrl-C, then for good. */
    @Override
    public void close() throws Exception {
        if (process.isAlive()) {
            interrupt();
            if (!process.waitFor(90, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
