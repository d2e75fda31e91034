package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's, see {@link Tools#prometheus()}) in a child process, listening on
 * 127.0.0.1 only, with its configuration, data and log under one folder of target/. Stopped by its
 * PID (SIGTERM, then SIGKILL) on {@link #close()}.
 */
final class PrometheusServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    final Path dir;
    final Path log;
    final int port;
    private final Process process;

    private PrometheusServer(Path dir, Path log, int port, Process process) {
        this.dir = dir;
        this.log = log;
        this.port = port;
        this.process = process;
    }

    /** Writes {@code prometheus.yml} into {@code dir} and starts the server on 127.0.0.1:{@code port}. */
    static PrometheusServer start(Path dir, int port, String configYaml) throws IOException {
        Tools.PrometheusInstall install = Tools.prometheus();
        Files.createDirectories(dir);
        Path config = Repo.write(dir.resolve("prometheus.yml"), configYaml);
        // console templates are not used; empty folders keep the server off /etc/prometheus
        Path consoles = Files.createDirectories(dir.resolve("consoles"));
        List<String> cmd = new ArrayList<>(List.of(install.binary().toString(),
                "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port,
                "--web.console.templates=" + consoles,
                "--web.console.libraries=" + consoles,
                "--log.level=info"));
        if (install.webAssets() != null) {
            // Debian's build serves its classic UI from files (flag added by Debian's packaging)
            cmd.add("--web.local-assets=" + install.webAssets());
        }
        Path log = dir.resolve("prometheus.log");
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .start();
        return new PrometheusServer(dir, log, port, p);
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Waits for {@code /-/ready}; fails with the server's log if it ends or does not get ready. */
    void awaitReady(int timeoutSeconds) {
        try {
            await("Prometheus to be ready").atMost(Duration.ofSeconds(timeoutSeconds)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(250)).until(() -> {
                        if (!process.isAlive()) {
                            throw new AssertionError("Prometheus ended (exit " + process.exitValue() + "):\n" + logTail(40));
                        }
                        try {
                            return get("/-/ready").statusCode() == 200;
                        } catch (IOException notYet) {
                            return false; // not listening yet
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Prometheus not ready within " + timeoutSeconds + " s:\n" + logTail(40), e);
        }
    }

    /** GET {@code /api/v1/...}: the response's {@code data}, after checking {@code status: success}. */
    JsonNode api(String path, String... params) {
        StringBuilder q = new StringBuilder(path);
        for (int i = 0; i < params.length; i += 2) {
            q.append(i == 0 ? '?' : '&').append(params[i]).append('=').append(encode(params[i + 1]));
        }
        try {
            HttpResponse<String> r = get(q.toString());
            JsonNode body = Manifests.JSON.readTree(r.body());
            if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
                throw new AssertionError("GET " + q + " -> " + r.statusCode() + ": " + r.body());
            }
            return body.path("data");
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + q, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: GET " + q, e);
        }
    }

    /** A query parameter as the classic UI's JavaScript decodes it too (spaces as %20, not +). */
    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url() + pathAndQuery)).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    String logTail(int lines) {
        try {
            return Files.isRegularFile(log) ? DemoProcess.tail(Files.readString(log, StandardCharsets.UTF_8), lines) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** SIGTERM to the server's PID (it flushes its head block), SIGKILL if it has not ended after 30 s. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
