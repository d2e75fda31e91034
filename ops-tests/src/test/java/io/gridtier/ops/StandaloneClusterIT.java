package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shaded job jar on a real Flink standalone cluster of separate processes (bin/lib/flink-cluster.sh:
 * one JobManager, two TaskManagers of one slot each, so that the job spans both; Flink's own entry points) against the project's real Kafka broker:
 * submitted as a user does, {@code bin/gridtier run --cluster} (through the REST API), it runs and checkpoints;
 * a second submission while it runs is refused; after a {@code kill -9} of a TaskManager and a new one started,
 * it restarts and checkpoints again; cancelled, the next {@code run --cluster} resumes from its last retained
 * checkpoint; stop leaves no process behind.
 */
class StandaloneClusterIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Path JAR = Path.of(System.getProperty("gridtier.jobJar", "missing.jar"));
    private static Path work;
    private static Path cluster;
    private static Path kafka;
    private static String rest;

    @BeforeAll
    static void startBrokerAndCluster() throws Exception {
        assertThat(JAR).as("the shaded job jar (mvn -B -pl flink-jobs -am package -DskipTests)").isRegularFile();
        work = Repo.workDir("standalone-cluster");
        Repo.deleteRecursively(work);
        cluster = work.resolve("cluster");
        kafka = work.resolve("kafka");
        int kafkaPort = freePortPair();
        script("bin/lib/kafka-broker.sh", "start", kafka.toString(), String.valueOf(kafkaPort));
        int restPort = freePort();
        int rpcPort = freePort();
        script("bin/lib/flink-cluster.sh", "start", cluster.toString(), "--taskmanagers", "2", "--slots", "1",
                "--rest-port", String.valueOf(restPort), "--rpc-port", String.valueOf(rpcPort));
        rest = "http://127.0.0.1:" + restPort;
        Repo.write(work.resolve("bootstrap"), "127.0.0.1:" + kafkaPort);
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (cluster != null) {
            script("bin/lib/flink-cluster.sh", "stop", cluster.toString());
        }
        if (kafka != null) {
            script("bin/lib/kafka-broker.sh", "stop", kafka.toString());
        }
        if (work != null) {
            assertThat(ProcessHandle.allProcesses()
                    .filter(p -> p.info().commandLine().orElse("").contains(work.toString())).toList())
                    .as("processes of this test left running").isEmpty();
            Repo.deleteRecursively(work);
        }
    }

    @Test
    void theShadedJarRunsOnSeparateProcessesAndSurvivesAKilledTaskManager() throws Exception {
        JsonNode overview = get("/overview");
        assertThat(overview.path("taskmanagers").asInt()).isEqualTo(2);
        assertThat(overview.path("slots-total").asInt()).isEqualTo(2);

        Run first = runOnCluster();
        assertThat(first.exit).as(first.printed).isZero();
        assertThat(first.printed).contains("from no checkpoint");
        String job = first.jobId();
        await("the job RUNNING with a completed checkpoint", () -> state(job).equals("RUNNING") && completed(job) >= 1);

        Run second = runOnCluster();
        assertThat(second.exit).as("a second GridTier job while one runs: " + second.printed).isEqualTo(3);
        assertThat(second.printed).contains("GridTier job " + job + " is RUNNING");

        long killedAt = System.nanoTime();
        script("bin/lib/flink-cluster.sh", "kill-taskmanager", cluster.toString(), "1");
        script("bin/lib/flink-cluster.sh", "add-taskmanager", cluster.toString());
        await("the job restarted after the kill", () -> get("/jobs/" + job + "/exceptions")
                .path("exceptionHistory").path("entries").size() >= 1);
        // counted once the failure is known: a checkpoint that completed between the kill and the job noticing
        // it must not pass for one of the restarted job (a checkpoint in flight at the failure is aborted)
        long afterFailure = completed(job);
        await("the job RUNNING again with a new checkpoint", () -> state(job).equals("RUNNING") && completed(job) > afterFailure);
        System.out.printf("standalone cluster: kill -9 of a TaskManager -> running and checkpointing again after %.1f s%n",
                (System.nanoTime() - killedAt) / 1e9);
        await("two TaskManagers registered after the replacement", () -> get("/overview").path("taskmanagers").asInt() == 2);

        HttpResponse<String> cancel = HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/jobs/" + job + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(cancel.statusCode()).isEqualTo(202);
        await("the job CANCELED", () -> state(job).equals("CANCELED"));

        // cancelled jobs keep their checkpoints (RETAIN_ON_CANCELLATION): the next run resumes from the newest
        Run resumed = runOnCluster();
        assertThat(resumed.exit).as(resumed.printed).isZero();
        assertThat(resumed.printed).containsPattern("resuming from \\S*/checkpoints/" + job + "/chk-\\d+");
        String next = resumed.jobId();
        await("the resumed job RUNNING", () -> state(next).equals("RUNNING"));
        assertThat(get("/jobs/" + next + "/checkpoints").path("latest").path("restored").path("external_path").asText())
                .as("the checkpoint the resumed job restored").contains(job);
        HTTP.send(HttpRequest.newBuilder(URI.create(rest + "/jobs/" + next + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        await("the resumed job CANCELED", () -> state(next).equals("CANCELED"));
    }

    @Test
    void theLiveDemoRunsItsJobOnTheClusterAndCancelsItThere() throws Exception {
        Path demo = work.resolve("demo");
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("bin/gridtier").toString(), "demo", "--cluster",
                "--customers", "100", "--months", "3", "--minutes", "0.75", "--work", demo.toString(),
                "--kafka-port", String.valueOf(freePortPair()), "--service-port", String.valueOf(freePort()))
                .directory(Repo.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("GRIDTIER_CLUSTER_DIR", cluster.toString());
        pb.environment().put("NO_COLOR", "1");
        Path out = Files.createTempFile(Repo.TARGET, "demo-cluster", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(6, TimeUnit.MINUTES)).as("bin/gridtier demo --cluster finished").isTrue();
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(printed).isZero();
            String job = new Run(0, printed).jobId();
            assertThat(printed).containsPattern("segments +[1-9][0-9,]* read")
                    .contains("alert ids read twice (exactly-once check, across runs): 0")
                    .contains("Flink job " + job + " on the cluster cancelled (CANCELED");
            assertThat(state(job)).isEqualTo("CANCELED");
            assertThat(demo.resolve("cluster-checkpoints").resolve(job)).as("the demo's checkpoints, in its own folder").isDirectory();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** What {@code bin/gridtier run --cluster} printed and its exit code. */
    private record Run(int exit, String printed) {
        String jobId() {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("job ([0-9a-f]{32}) running on the cluster").matcher(printed);
            assertThat(m.find()).as(printed).isTrue();
            return m.group(1);
        }
    }

    private static Run runOnCluster() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Repo.ROOT.resolve("bin/gridtier").toString(), "run", "--cluster",
                "--set", "kafka.bootstrapServers=" + Repo.read(work.resolve("bootstrap")),
                "--set", "flink.checkpointInterval=PT2S")
                .directory(Repo.ROOT.toFile()).redirectErrorStream(true);
        pb.environment().put("GRIDTIER_CLUSTER_DIR", cluster.toString());
        Path out = Files.createTempFile(Repo.TARGET, "run-cluster", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            assertThat(p.waitFor(6, TimeUnit.MINUTES)).as("bin/gridtier run --cluster finished").isTrue();
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static String state(String job) throws Exception {
        return get("/jobs/" + job).path("state").asText();
    }

    private static long completed(String job) throws Exception {
        return get("/jobs/" + job + "/checkpoints").path("counts").path("completed").asLong();
    }

    private static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET " + path + ": " + r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private static void await(String what, Callable<Boolean> check) {
        Awaitility.await(what).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(check);
    }

    /** Runs one of the project's scripts to its end; returns what it printed, fails with it on a non-zero exit. */
    private static String script(String script, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", Repo.ROOT.resolve(script).toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(Repo.TARGET, "script", ".out");
        try {
            Process p = new ProcessBuilder(command).directory(Repo.ROOT.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            assertThat(p.waitFor(6, TimeUnit.MINUTES)).as(String.join(" ", command) + " finished").isTrue();
            String printed = Files.readString(out, StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(String.join(" ", command) + " printed:\n" + printed).isZero();
            String[] lines = printed.strip().split("\n");
            return lines[lines.length - 1];
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static int freePortPair() throws IOException {
        for (int i = 0; i < 50; i++) {
            int p = freePort();
            try (ServerSocket s = new ServerSocket(p + 1, 1, InetAddress.getLoopbackAddress())) {
                return p;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no two free consecutive ports");
    }
}
