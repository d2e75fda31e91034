package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real Prometheus server (Debian's 2.42, unpacked under target/tools) scrapes a running
 * {@code bin/gridtier demo} — Flink's Prometheus reporter of the Kafka job and the agents' service's
 * {@code /metrics} with its bearer token — with the chart's job names and the alert rules loaded, and
 * shows through its HTTP API that every metric name the dashboards and rules use is really scraped,
 * from the right job; that both targets are up; that the rules evaluate without error; and that no
 * customer id appears in any label value. While it holds the demo's data, the key panels' queries
 * are drawn on Prometheus' own graph page in headless Chromium and saved as PNGs under
 * target/ops-work/prometheus-scrape/screenshots (the README's pictures come from there).
 */
class PrometheusScrapeIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Pattern CUSTOMER_ID = Pattern.compile("C\\d{7}");

    /**
     * Names the dashboards or rules use that a short demo run cannot produce, each with the reason.
     * The test fails for any other missing name, and for an entry here that no dashboard or rule
     * uses any more.
     */
    static final Map<String, String> NOT_IN_A_SHORT_RUN = Map.of();

    /** Where the README's pictures come from: a dashboard, a panel title, a query of it, a file name. */
    record KeyPanel(String dashboard, String title, String refId, String file) {
    }

    static final List<KeyPanel> KEY_PANELS = List.of(
            new KeyPanel("customer-segments.json", "Value tier populations", "A", "prometheus-tier-populations.png"),
            new KeyPanel("pipeline-health.json", "Events applied by the segmenter", "A", "prometheus-events-by-type-outcome.png"),
            new KeyPanel("customer-segments.json", "Alerts by type, per hour", "A", "prometheus-alerts-by-type.png"),
            new KeyPanel("pipeline-health.json", "Checkpoint duration", "A", "prometheus-checkpoint-duration.png"),
            new KeyPanel("customer-segments.json", "Event-time lag by input", "A", "prometheus-event-time-lag.png"),
            new KeyPanel("customer-segments.json", "Request latency", "C", "prometheus-service-latency-p99.png"));

    @Test
    void prometheusScrapesEveryMetricTheDashboardsAndRulesUseFromARunningDemo() throws Exception {
        Tools.prometheus();
        Path chromium = Tools.chromium();
        Path base = Repo.workDir("prometheus-scrape");
        Path work = base.resolve("work");
        Path shots = base.resolve("screenshots");
        for (Path old : List.of(work, base.resolve("prometheus"), shots)) {
            Repo.deleteRecursively(old);
        }
        Map<String, String> used = usedNames();
        assertThat(used).as("metric names used by the dashboards and rules").hasSizeGreaterThan(20);
        assertThat(NOT_IN_A_SHORT_RUN.keySet()).as("allow-list entries no dashboard or rule uses").isSubsetOf(used.keySet());

        int metricsPort = DemoProcess.freePort();
        // 13 simulated months at 8 days/s: ~50 s of events; --minutes only stops a demo this test forgot
        try (DemoProcess demo = DemoProcess.start(work, "demo.log", DemoProcess.freePort(), DemoProcess.freePort(),
                metricsPort, "--customers", "200", "--months", "13", "--seed", "11", "--speed", "8", "--minutes", "10")) {
            String[] page = demo.pageAndToken(300);
            URI service = URI.create(page[0]);
            String agentToken = page[1];
            Path metricsToken = work.resolve("metrics.token");
            assertThat(metricsToken).as("the demo's token for scraping the service").isRegularFile();

            try (PrometheusServer prometheus = PrometheusServer.start(base.resolve("prometheus"), DemoProcess.freePort(),
                    config(metricsPort, service, metricsToken))) {
                try {
                    prometheus.awaitReady(120);
                    Instant scrapingSince = Instant.now();

                    // scrape while the events flow; agents' lookups give the service's request and lookup series
                    Set<String> missing = new TreeSet<>(used.keySet());
                    AtomicInteger rounds = new AtomicInteger();
                    try {
                        await("every used name scraped and all events sent").atMost(Duration.ofSeconds(300))
                                .pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(2)).until(() -> {
                                    missing.removeAll(names(prometheus, null));
                                    if (missing.isEmpty() && demo.output().contains("[all events sent]")) {
                                        return true;
                                    }
                                    lookUp(service, agentToken, rounds.getAndIncrement());
                                    return false;
                                });
                    } catch (ConditionTimeoutException notAllYet) {
                        // checkNames below says which names are missing, after the screenshots
                    }
                    int round = rounds.get();
                    // a few more scrapes after the last events, so the graphs show the end of the run
                    for (int i = 0; i < 5; i++) {
                        lookUp(service, agentToken, round++);
                        Thread.sleep(2000);
                    }

                    // pictures first: they help most when a check below fails
                    screenshots(prometheus, chromium, shots, scrapingSince);
                    checkNames(prometheus, used);
                    checkTargetsUp(prometheus);
                    checkRules(prometheus);
                    checkNoCustomerIdInLabels(prometheus);
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError(e.getMessage() + "\n--- Prometheus log:\n" + prometheus.logTail(30)
                            + "\n--- demo output:\n" + DemoProcess.tail(demo.output(), 30), e);
                }
            } finally {
                demo.interrupt();
                demo.waitFor(120);
            }
            assertThat(demo.processesUsingWork()).as("processes left behind by the demo").isEmpty();
        }
        assertThat(DemoProcess.processesUsing(base.resolve("prometheus").toString())).as("Prometheus left running").isEmpty();
    }

    /** Every name a dashboard or rule uses, with one place that uses it. */
    static Map<String, String> usedNames() {
        Map<String, String> exprs = new LinkedHashMap<>(MetricNamesTest.ruleExpressions(Repo.read(Repo.RULES)));
        exprs.putAll(MetricNamesTest.dashboardExpressions());
        Map<String, String> used = new TreeMap<>();
        exprs.forEach((where, expr) -> PromQl.metricNames(expr).forEach(n -> used.putIfAbsent(n, where)));
        return used;
    }

    /** The chart's job names (the rules and dashboards select by them), a short interval, the rules loaded. */
    static String config(int metricsPort, URI service, Path metricsToken) {
        return """
                global:
                  scrape_interval: 2s
                  scrape_timeout: 2s
                  evaluation_interval: 2s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: gridtier-flink
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                        labels:
                          component: minicluster
                  - job_name: gridtier-tier-service
                    metrics_path: /metrics
                    authorization:
                      type: Bearer
                      credentials_file: %s
                    static_configs:
                      - targets: ['%s:%d']
                """.formatted(Repo.RULES, metricsPort, metricsToken, service.getHost(), service.getPort());
    }

    /** Agents' lookups: known customers (found) and one that does not exist (not found). */
    private static void lookUp(URI service, String token, int round) throws Exception {
        for (int i = 0; i < 4; i++) {
            String id = i == 3 ? "C9999999" : String.format("C%07d", (round * 3 + i) % 200);
            HttpRequest r = HttpRequest.newBuilder(service.resolve("api/customers/" + id)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token).GET().build();
            HttpResponse<String> resp = HTTP.send(r, HttpResponse.BodyHandlers.ofString());
            assertThat(resp.statusCode()).as("lookup of " + id + ": " + resp.body()).isIn(200, 404);
        }
    }

    /** Metric names Prometheus holds (of one scrape job, or of all when {@code job} is null). */
    private static Set<String> names(PrometheusServer prometheus, String job) {
        JsonNode values = job == null ? prometheus.api("/api/v1/label/__name__/values")
                : prometheus.api("/api/v1/label/__name__/values", "match[]", "{job=\"" + job + "\"}");
        Set<String> out = new TreeSet<>();
        values.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static void checkNames(PrometheusServer prometheus, Map<String, String> used) {
        Set<String> flink = names(prometheus, "gridtier-flink");
        Set<String> tierService = names(prometheus, "gridtier-tier-service");
        Map<String, String> missing = new TreeMap<>();
        Map<String, String> allowedButScraped = new TreeMap<>();
        for (Map.Entry<String, String> e : used.entrySet()) {
            String name = e.getKey();
            boolean scraped = name.equals("up") ? flink.contains(name) && tierService.contains(name)
                    : name.startsWith("tier_service_") ? tierService.contains(name) : flink.contains(name);
            if (!scraped && !NOT_IN_A_SHORT_RUN.containsKey(name)) {
                missing.put(name, "used by " + e.getValue());
            } else if (scraped && NOT_IN_A_SHORT_RUN.containsKey(name)) {
                allowedButScraped.put(name, NOT_IN_A_SHORT_RUN.get(name));
            }
        }
        // the declared list is what a real scrape is compared against, so it must be scraped too
        for (String name : MetricNamesTest.declared()) {
            boolean scraped = name.startsWith("tier_service_") ? tierService.contains(name) : flink.contains(name);
            if (!scraped && !NOT_IN_A_SHORT_RUN.containsKey(name)) {
                missing.putIfAbsent(name, "declared in exported-metrics.txt");
            }
        }
        if (!allowedButScraped.isEmpty()) {
            System.out.println("allow-listed but scraped this time (the allow-list may be too generous): " + allowedButScraped);
        }
        assertThat(missing)
                .as("metric names the dashboards and rules use but Prometheus did not scrape from the running demo "
                        + "(flink_* from job gridtier-flink, tier_service_* from job gridtier-tier-service);\n"
                        + "GridTier's own names scraped: %s", ownNames(flink, tierService))
                .isEmpty();
    }

    private static Set<String> ownNames(Set<String> flink, Set<String> tierService) {
        Set<String> out = new TreeSet<>();
        flink.stream().filter(n -> n.contains("_gridtier_")).forEach(out::add);
        tierService.stream().filter(n -> n.startsWith("tier_service_")).forEach(out::add);
        return out;
    }

    private static void checkTargetsUp(PrometheusServer prometheus) {
        Map<String, String> up = new TreeMap<>();
        for (JsonNode r : prometheus.api("/api/v1/query", "query", "up").path("result")) {
            up.put(r.path("metric").path("job").asText() + " " + r.path("metric").path("instance").asText(),
                    r.path("value").path(1).asText());
        }
        assertThat(up).as("up per target").hasSize(2).allSatisfy((target, value) -> assertThat(value).as(target).isEqualTo("1"));
        Set<String> jobs = new TreeSet<>();
        up.keySet().forEach(k -> jobs.add(k.split(" ")[0]));
        assertThat(jobs).containsExactly("gridtier-flink", "gridtier-tier-service");
        for (JsonNode t : prometheus.api("/api/v1/targets").path("activeTargets")) {
            assertThat(t.path("health").asText()).as("target " + t.path("scrapeUrl").asText() + " " + t.path("lastError").asText())
                    .isEqualTo("up");
        }
    }

    private static void checkRules(PrometheusServer prometheus) {
        int inFile = MetricNamesTest.ruleExpressions(Repo.read(Repo.RULES)).size();
        List<String> bad = new ArrayList<>();
        List<String> states = new ArrayList<>();
        int loaded = 0;
        for (JsonNode g : prometheus.api("/api/v1/rules").path("groups")) {
            for (JsonNode r : g.path("rules")) {
                loaded++;
                String name = r.path("name").asText();
                if (!"ok".equals(r.path("health").asText()) || r.path("lastEvaluation").asText().startsWith("0001-")) {
                    bad.add(name + ": health " + r.path("health").asText() + ", last evaluation "
                            + r.path("lastEvaluation").asText() + ", " + r.path("lastError").asText());
                }
                states.add(name + "=" + r.path("state").asText());
            }
        }
        System.out.println("rule states on the demo's data: " + states);
        assertThat(loaded).as("rules loaded from " + Repo.RULES).isEqualTo(inFile);
        assertThat(bad).as("rules not evaluated cleanly on real data").isEmpty();
    }

    private static void checkNoCustomerIdInLabels(PrometheusServer prometheus) {
        Map<String, Set<String>> leaks = new TreeMap<>();
        int values = 0;
        for (JsonNode label : prometheus.api("/api/v1/labels")) {
            for (JsonNode v : prometheus.api("/api/v1/label/" + label.asText() + "/values")) {
                values++;
                if (CUSTOMER_ID.matcher(v.asText()).find()) {
                    leaks.computeIfAbsent(label.asText(), k -> new TreeSet<>()).add(v.asText());
                }
            }
        }
        assertThat(values).as("label values scraped").isGreaterThan(100);
        assertThat(leaks).as("customer ids (C + 7 digits) in scraped label values, by label").isEmpty();
    }

    /** A dashboard query as Prometheus itself runs it: Grafana's variables replaced, no namespace here. */
    static String withoutGrafanaVariables(String expr) {
        return expr.replace("$__rate_interval", "20s").replace("${__range}", "5m").replace("$__range", "5m")
                .replace("namespace=~\"$namespace\"", "namespace=~\".*\"");
    }

    static String query(KeyPanel panel) {
        JsonNode d = MetricNamesTest.readJson(Repo.DASHBOARDS.resolve(panel.dashboard()));
        for (JsonNode p : MetricNamesTest.allPanels(d)) {
            if (panel.title().equals(p.path("title").asText())) {
                for (JsonNode t : p.path("targets")) {
                    if (panel.refId().equals(t.path("refId").asText())) {
                        return withoutGrafanaVariables(t.path("expr").asText());
                    }
                }
            }
        }
        throw new AssertionError("no panel '" + panel.title() + "' with query " + panel.refId() + " in " + panel.dashboard());
    }

    /**
     * Each key panel's query returns data over the time Prometheus has scraped (through the API), and its graph
     * on Prometheus' classic graph page (Debian ships that UI: /classic/graph, g0.tab=0 is the graph
     * tab) is saved as a PNG by headless Chromium.
     */
    private static void screenshots(PrometheusServer prometheus, Path chromium, Path shots, Instant scrapingSince)
            throws Exception {
        Files.createDirectories(shots);
        long end = Instant.now().getEpochSecond();
        // the graph spans the scraped time only (the classic UI takes a single unit: "170s")
        long range = ((end - scrapingSince.getEpochSecond()) / 10 + 2) * 10;
        for (KeyPanel panel : KEY_PANELS) {
            String expr = query(panel);
            JsonNode data = prometheus.api("/api/v1/query_range", "query", expr, "start", String.valueOf(end - range),
                    "end", String.valueOf(end), "step", "2");
            assertThat(data.path("result").size()).as("series of '" + panel.title() + "': " + expr).isGreaterThan(0);
            String url = prometheus.url() + "/classic/graph?g0.expr=" + PrometheusServer.encode(expr)
                    + "&g0.tab=0&g0.stacked=0&g0.range_input=" + range + "s";
            Path png = shots.resolve(panel.file());
            Path profile = Repo.TARGET.resolve("tmp/chromium-" + panel.file());
            Repo.deleteRecursively(profile);
            try {
                Tools.Result r = Tools.run(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                                "--disable-sync", "--hide-scrollbars", "--user-data-dir=" + profile, "--screenshot=" + png,
                                "--window-size=1400,1100", "--virtual-time-budget=15000", url),
                        Repo.TARGET, Map.of("TMPDIR", Repo.TARGET.resolve("tmp").toString()), 180);
                assertThat(png).as("screenshot of " + url + "\n" + r.describe()).isRegularFile();
                byte[] head = Files.readAllBytes(png);
                assertThat(head.length).as(png + " size").isGreaterThan(20_000);
                assertThat(new String(head, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).as(png + " is a PNG").isEqualTo("PNG");
            } finally {
                Repo.deleteRecursively(profile);
            }
        }
    }
}
