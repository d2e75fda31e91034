package io.gridtier.livedemo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Small helpers for the child processes of the live demo (the broker script, the agents' service). */
public final class Processes {
    private Processes() {
    }

    /** What a finished command printed. */
    public record Result(int exitCode, String stdout, String stderr) {
    }

    /**
     * Runs a command to its end (bounded by {@code timeoutSeconds}), in a session of its own when
     * {@code setsid} exists, so that a Ctrl-C in the terminal reaches only the demo's JVM, which then
     * stops its children in order.
     */
    public static Result run(Path workingDir, long timeoutSeconds, List<String> command) throws IOException, InterruptedException {
        return run(workingDir, timeoutSeconds, command, java.util.Map.of());
    }

    /** The same with extra environment variables. */
    public static Result run(Path workingDir, long timeoutSeconds, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(detached(command)).directory(workingDir.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        // both outputs are small (a few lines), so reading one after the other cannot block the child
        String err;
        String out;
        Thread errReader;
        StringBuilder errText = new StringBuilder();
        errReader = new Thread(() -> {
            try {
                errText.append(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // the process ended
            }
        }, "live-demo-stderr");
        errReader.setDaemon(true);
        errReader.start();
        out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
        }
        errReader.join(5000);
        synchronized (errText) {
            err = errText.toString();
        }
        return new Result(p.exitValue(), out, err);
    }

    /** The command prefixed with {@code setsid} when the system has it. */
    public static List<String> detached(List<String> command) {
        List<String> c = new ArrayList<>();
        for (String dir : new String[] {"/usr/bin/setsid", "/bin/setsid"}) {
            if (Files.isExecutable(Path.of(dir))) {
                c.add(dir);
                break;
            }
        }
        c.addAll(command);
        return c;
    }

    /** Whether nothing listens on 127.0.0.1:port. */
    public static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code preferred} if it (and, for a pair, the next port) is free, otherwise free ports chosen by the system. */
    public static int freePort(int preferred, boolean pair) throws IOException {
        if (portFree(preferred) && (!pair || portFree(preferred + 1))) {
            return preferred;
        }
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = s.getLocalPort();
            }
            if (port < 65534 && (!pair || portFree(port + 1))) {
                return port;
            }
        }
        throw new IOException("no free port found on 127.0.0.1");
    }

    /** The last {@code lines} lines of a file, for error messages. */
    public static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no " + file + ")";
        }
    }
}
