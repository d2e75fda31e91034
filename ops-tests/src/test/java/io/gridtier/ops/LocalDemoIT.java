package io.gridtier.ops;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's first command, {@code bin/gridtier demo}, as a newcomer runs it: a real broker, the
 * Kafka job and the agents' service come up; events flow; the page answers with the printed token;
 * the job's metrics are exported; {@code --minutes} stops everything it started; a second run
 * resumes from the checkpoint and the producer's position; Ctrl-C stops it cleanly too.
 */
class LocalDemoIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void demoRunsLiveStopsByItselfResumesAndStopsOnCtrlC() throws Exception {
        Path work = Repo.workDir("local-demo").resolve("work");
        Repo.deleteRecursively(work);
        int kafka = DemoProcess.freePort();
        int service = DemoProcess.freePort();
        int metrics = DemoProcess.freePort();
        // 13 simulated months at 4 days/s take ~100 s: the first run (1 minute) stops midway
        String[] population = {"--customers", "200", "--months", "13", "--seed", "7", "--speed", "4"};

        // 1. first run, stopped by --minutes
        long firstLines;
        try (DemoProcess first = DemoProcess.start(work, "first-run.log", kafka, service, metrics,
                concat(population, "--minutes", "1"))) {
            String[] page = first.pageAndToken(300);
            String url = page[0];
            String token = page[1];
            assertTrue(token.startsWith("gt_"), "demo agent token: " + token);

            // the page and the API answer with the printed token (and refuse without it)
            assertEquals(200, get(url, null).statusCode(), "the agents' page " + url);
            assertEquals(401, get(url + "api/customers/C0000001", null).statusCode(), "a lookup without a token");
            String segment = awaitCustomer(url, token, 150);
            assertTrue(segment.contains("\"valueTier\""), segment);

            // the job exports its own metrics through Flink's Prometheus reporter
            String scraped = awaitMetric("http://127.0.0.1:" + metrics + "/metrics",
                    "flink_taskmanager_job_task_operator_gridtier_type_outcome_events", 120);
            assertTrue(scraped.contains("flink_taskmanager_job_task_operator_gridtier_population_customers"), "population gauges");

            assertEquals(0, first.waitFor(300), "exit code of a run stopped by --minutes:\n" + DemoProcess.tail(first.output(), 40));
            String out = first.output();
            assertTrue(out.contains("== 1.0 minute(s) passed; stopping"), DemoProcess.tail(out, 30));
            assertTrue(out.contains("== Stopped in"), DemoProcess.tail(out, 30));
            assertTrue(last(out, "(?m)^segments\\s+([\\d,]+) read") > 0, "segments read:\n" + DemoProcess.tail(out, 30));
            assertTrue(last(out, "(?m)^alerts\\s+([\\d,]+):") > 0, "alerts:\n" + DemoProcess.tail(out, 30));
            assertTrue(last(out, "(?m)^dead letters\\s+([\\d,]+):") > 0, "the generator's bad lines reach the dead letters:\n"
                    + DemoProcess.tail(out, 30));
            assertTrue(out.contains("latency      event -> committed alert: p50"), "event-to-alert latency shown");
            assertTrue(Pattern.compile("== Event-to-alert latency over this run: [\\d,]+ alerts, p50 [\\d.]+ s, p99 [\\d.]+ s.*"
                    + "alert ids read twice: 0").matcher(out).find(), "final latency line:\n" + DemoProcess.tail(out, 30));
            firstLines = last(out, "([\\d,]+) lines of the file in all");
            assertTrue(firstLines > 0 && !out.contains("[all events sent]"),
                    "the first run should stop midway through the file (lines " + firstLines + ")");
            assertEquals(List.of(), first.processesUsingWork(), "processes left behind by the first run");
        }

        // 2. second run: resumes the job from its checkpoint and the producer from its line; Ctrl-C stops it
        try (DemoProcess second = DemoProcess.start(work, "second-run.log", kafka, service, metrics, population)) {
            String out = second.awaitOutput("== Ready in", 300);
            assertTrue(out.contains("== Population: reusing"), DemoProcess.tail(out, 30));
            assertTrue(Pattern.compile("resuming from \\S+/chk-\\d+").matcher(out).find(),
                    "the job resumes from the first run's checkpoint:\n" + DemoProcess.tail(out, 30));
            // wait for a summary that shows the producer went on past the first run's position
            AtomicLong reached = new AtomicLong();
            try {
                await("the producer to pass line " + firstLines).atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> {
                            reached.set(lastOrZero(second.output(), "([\\d,]+) lines of the file in all"));
                            return reached.get() > firstLines;
                        });
            } catch (ConditionTimeoutException stillBehind) {
                // the assertion says where the producer is
            }
            long lines = reached.get();
            assertTrue(lines > firstLines, "the producer resumes after line " + firstLines + ", now " + lines);
            Matcher sent = Pattern.compile("produced\\s+([\\d,]+) records this run").matcher(second.output());
            long sentThisRun = 0;
            while (sent.find()) {
                sentThisRun = Long.parseLong(sent.group(1).replace(",", ""));
            }
            assertTrue(sentThisRun < lines, "the second run does not start the file over (sent " + sentThisRun
                    + " of " + lines + " lines)");

            second.interrupt();
            second.waitFor(120);
            String end = second.output();
            // exactly-once across the resume: the summary consumer reads both runs' alerts and sees no id twice
            assertTrue(end.contains("alert ids read twice (exactly-once check, across runs): 0")
                    && !Pattern.compile("read twice[^\\n]*: [1-9]").matcher(end).find(), DemoProcess.tail(end, 30));
            assertTrue(end.contains("== Stopped in"), "Ctrl-C stops everything:\n" + DemoProcess.tail(end, 30));
            assertTrue(end.contains("Kafka broker in " + work.resolve("kafka") + " stopped"), DemoProcess.tail(end, 30));
            assertEquals(List.of(), second.processesUsingWork(), "processes left behind after Ctrl-C");
        }
    }

    @Test
    void demoRefusesAMissingDataFileWithAClearMessage() throws Exception {
        Path work = Repo.workDir("local-demo-bad-data").resolve("work");
        try (DemoProcess demo = DemoProcess.start(work, "bad-data.log", DemoProcess.freePort(), DemoProcess.freePort(),
                DemoProcess.freePort(), "--data", "no/such/daily_kwh_wide.csv")) {
            assertEquals(2, demo.waitFor(300), demo.output());
            assertTrue(demo.output().contains("--data no/such/daily_kwh_wide.csv is not a file"), demo.output());
            assertTrue(!Files.exists(work.resolve("kafka")), "nothing started for a bad argument");
        }
    }

    private static String awaitCustomer(String url, String token, int seconds) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        AtomicReference<String> found = new AtomicReference<>();
        try {
            await("a customer in the agents' service").atMost(Duration.ofSeconds(seconds)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(2)).until(() -> {
                        for (int i = 0; i < 20 && found.get() == null; i++) {
                            last.set(get(url + "api/customers/" + String.format("C%07d", i), token));
                            if (last.get().statusCode() == 200) {
                                found.set(last.get().body());
                            } else {
                                assertEquals(404, last.get().statusCode(), "a customer not yet materialised is a 404: "
                                        + last.get().body());
                            }
                        }
                        return found.get() != null;
                    });
            return found.get();
        } catch (ConditionTimeoutException e) {
            HttpResponse<String> r = last.get();
            return fail("no customer C0000000..C0000019 appeared in the agents' service within " + seconds + " s; last: "
                    + (r == null ? "-" : r.statusCode() + " " + r.body()), e);
        }
    }

    private static String awaitMetric(String url, String name, int seconds) {
        AtomicReference<String> body = new AtomicReference<>("");
        try {
            await(name + " at " + url).atMost(Duration.ofSeconds(seconds)).pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofSeconds(2)).until(() -> {
                        try {
                            HttpResponse<String> r = get(url, null);
                            body.set(r.body());
                            return r.statusCode() == 200 && r.body().contains(name);
                        } catch (java.io.IOException notYet) {
                            body.set(notYet.toString());
                            return false;
                        }
                    });
            return body.get();
        } catch (ConditionTimeoutException e) {
            return fail(name + " not exported at " + url + " within " + seconds + " s; got:\n"
                    + DemoProcess.tail(body.get(), 20), e);
        }
    }

    private static HttpResponse<String> get(String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long last(String text, String regex) {
        long v = lastOrZero(text, regex);
        if (v == 0 && !Pattern.compile(regex).matcher(text).find()) {
            fail("no line matching " + regex + " in:\n" + DemoProcess.tail(text, 30));
        }
        return v;
    }

    private static long lastOrZero(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        long v = 0;
        while (m.find()) {
            v = Long.parseLong(m.group(1).replace(",", ""));
        }
        return v;
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
