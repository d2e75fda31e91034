package io.gridtier.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridtier.cluster.ClusterProcesses;
import io.gridtier.config.JobConfig;
import io.gridtier.kafka.KafkaConnectors;
import io.gridtier.kafka.KafkaJob;
import io.gridtier.model.InvalidConfigException;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code gridtier run --cluster}: the production job — the shaded jar the Helm chart deploys, {@code KafkaJob}'s
 * main — submitted to the standalone session cluster of {@code gridtier cluster start}, through its REST API
 * ({@code bin/lib/flink-cluster.sh submit}). Checkpoints go to the cluster's folder; a next run resumes from the
 * newest one retained there (cancelled jobs keep theirs), unless told {@code --from}. One GridTier job at a time:
 * a second submission while one runs would read the same group and write the same outputs, so it is refused.
 */
final class ClusterRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private final Path home;
    private final Path clusterDir;
    private final PrintStream out;
    private String rest;

    ClusterRun(Path home, Path clusterDir, PrintStream out) {
        this.home = home;
        this.clusterDir = clusterDir.toAbsolutePath().normalize();
        this.out = out;
    }

    /** The cluster folder: GRIDTIER_CLUSTER_DIR, as bin/gridtier cluster uses it, or work/cluster. */
    static Path defaultDir(Path home) {
        String env = System.getenv("GRIDTIER_CLUSTER_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : home.resolve("work/cluster");
    }

    /** {@code gridtier run --cluster}: submits, prints where the job runs; 0, or 1 when the cluster refused it. */
    int run(JobConfigOptions job, String from) throws Exception {
        JobConfig config;
        String jobId;
        try {
            Submitted s = submit(job, List.of(), from);
            config = s.config();
            jobId = s.jobId();
        } catch (Refused e) {
            out.println(e.getMessage());
            return 1;
        }
        out.println("reading " + String.join(", ", KafkaConnectors.inputTopics(config)) + " as group "
                + config.kafkaGroupId() + "; checkpoints in " + config.checkpointDir() + "/" + jobId
                + "; `bin/gridtier cluster stop` or the web UI's Cancel stops it, and the next `run --cluster` resumes");
        return 0;
    }

    /** A job the cluster took, with the configuration it was given. */
    record Submitted(String jobId, JobConfig config) {
    }

    /** The cluster did not take the job: the message holds what it said and where its logs are. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * Submits the job with {@code firstSets} applied before the user's own overrides (which win); resumes from
     * {@code from}, or else from the newest checkpoint retained under the configured checkpoint folder (the
     * cluster's, unless {@code firstSets} or the user name another).
     */
    Submitted submit(JobConfigOptions job, List<String> firstSets, String from) throws Exception {
        Path conf = clusterDir.resolve("conf/config.yaml");
        if (!Files.isRegularFile(conf)) {
            throw new InvalidConfigException("no Flink cluster in " + clusterDir + " (no conf/config.yaml): start one with "
                    + "`bin/gridtier cluster start --taskmanagers 2`, or set GRIDTIER_CLUSTER_DIR to its folder");
        }
        String rest = "http://127.0.0.1:" + restPort(conf);
        // the cluster's folder unless the caller keeps its own (the demo does: its checkpoints belong to its broker)
        List<String> first = new ArrayList<>(List.of("flink.checkpointDir=file://" + clusterDir.resolve("checkpoints")));
        first.addAll(firstSets);
        JobConfig config = job.load(first); // a bad configuration stops here, before anything is submitted
        Path jar = shadedJar();
        for (JsonNode j : get(rest, "/jobs/overview").path("jobs")) {
            String state = j.path("state").asText();
            if (KafkaJob.JOB_NAME.equals(j.path("name").asText()) && !isTerminal(state)) {
                throw new InvalidConfigException("GridTier job " + j.path("jid").asText() + " is " + state + " on the cluster at "
                        + rest + ": a second one would read the same group and write the same topics twice. Stop it first "
                        + "(the web UI's Cancel, or curl -X PATCH '" + rest + "/jobs/" + j.path("jid").asText() + "?mode=cancel'); "
                        + "the next run resumes from its last retained checkpoint");
            }
        }
        String restore = from != null ? from : KafkaJob.latestRetainedCheckpoint(config, clusterDir).orElse(null);
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/lib/flink-cluster.sh").toString(),
                "submit", clusterDir.toString()));
        if (restore != null) {
            command.addAll(List.of("--from", restore));
        }
        command.addAll(List.of(jar.toString(), KafkaJob.class.getName()));
        command.addAll(job.programArguments(first));
        out.println("submitting " + jar.getFileName() + " (" + KafkaJob.class.getName() + ") to the Flink cluster at " + rest
                + (restore == null ? ", from no checkpoint" : ", resuming from " + restore));
        Process p = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true).start();
        String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0) {
            throw new Refused(printed + "\nthe cluster did not take the job (above); its logs: " + clusterDir.resolve("log"));
        }
        String jobId = printed.substring(printed.lastIndexOf('\n') + 1);
        out.println("job " + jobId + " running on the cluster: " + rest + "/#/job/running/" + jobId + "/overview");
        this.rest = rest;
        return new Submitted(jobId, config);
    }

    /** The job's state on the cluster (RUNNING, CANCELED, ...), or UNKNOWN (why) when the cluster does not say. */
    String status(String jobId) {
        try {
            return get(rest, "/jobs/" + jobId).path("state").asText("UNKNOWN");
        } catch (Exception e) {
            return "UNKNOWN (" + e.getClass().getSimpleName() + ")";
        }
    }

    /** Cancels the job (it keeps its checkpoints) and waits up to a minute for it to be CANCELED. */
    void cancel(String jobId) throws IOException, InterruptedException {
        ClusterProcesses.cancel(rest, jobId);
        for (int i = 0; i < 120 && !status(jobId).equals("CANCELED"); i++) {
            Thread.sleep(500);
        }
    }

    private static boolean isTerminal(String state) {
        return state.equals("FINISHED") || state.equals("CANCELED") || state.equals("FAILED");
    }

    /** The shaded job jar the build leaves in flink-jobs/target (the one the Helm chart's image holds). */
    private Path shadedJar() throws IOException {
        Path target = home.resolve("flink-jobs/target");
        Optional<Path> jar = Optional.empty();
        if (Files.isDirectory(target)) {
            try (Stream<Path> files = Files.list(target)) {
                jar = files.filter(f -> f.getFileName().toString().matches("gridtier-flink-jobs-.*-shaded\\.jar")).findFirst();
            }
        }
        return jar.orElseThrow(() -> new InvalidConfigException("no shaded job jar in " + target
                + ": build it with `mvn -B -pl flink-jobs -am package -DskipTests`"));
    }

    /** rest.port of the cluster's config.yaml (written by flink-cluster.sh start). */
    private static int restPort(Path conf) throws IOException {
        for (String line : Files.readAllLines(conf, StandardCharsets.UTF_8)) {
            String t = line.strip();
            if (t.startsWith("rest.port:")) {
                return Integer.parseInt(t.substring("rest.port:".length()).strip());
            }
        }
        throw new InvalidConfigException(conf + " names no rest.port: restart the cluster with `bin/gridtier cluster start`");
    }

    private JsonNode get(String rest, String path) throws IOException, InterruptedException {
        HttpResponse<String> r;
        try {
            r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new InvalidConfigException("the Flink cluster in " + clusterDir + " does not answer at " + rest + " (" + e
                    + "): is it running? `bin/gridtier cluster status`, `bin/gridtier cluster start`");
        }
        if (r.statusCode() != 200) {
            throw new IOException("GET " + rest + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }
}
