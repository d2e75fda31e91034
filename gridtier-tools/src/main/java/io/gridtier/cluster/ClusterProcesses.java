package io.gridtier.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the fault drill and {@code run --cluster} both do to a standalone cluster of {@code bin/lib/flink-cluster.sh}
 * outside its script: cancel a job through the REST API, and find a JobManager or TaskManager process from the pid
 * file the script wrote ({@code pids/NAME.pid}), so that a {@code kill -9} follows at once.
 */
public final class ClusterProcesses {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private ClusterProcesses() {
    }

    /**
     * Asks the JobManager at {@code rest} to cancel {@code jobId} (it keeps its retained checkpoints); does not wait.
     *
     * @throws IOException when the JobManager does not take the request (what it answered)
     */
    public static void cancel(String rest, String jobId) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IOException("cancel of job " + jobId + ": HTTP " + r.statusCode() + " " + r.body());
        }
    }

    /**
     * The live process the script started as {@code name} ({@code jobmanager}, {@code taskmanager-2}) in the cluster
     * folder {@code clusterDir}.
     *
     * @throws IllegalStateException when there is no pid file or its process does not run
     */
    public static ProcessHandle process(Path clusterDir, String name) throws IOException {
        Path pidFile = clusterDir.resolve("pids/" + name + ".pid");
        if (!Files.isRegularFile(pidFile)) {
            throw new IllegalStateException(name + " has no pid file at " + pidFile);
        }
        long pid = Long.parseLong(Files.readString(pidFile).strip());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                .orElseThrow(() -> new IllegalStateException(name + " (pid " + pid + ") does not run"));
    }
}
