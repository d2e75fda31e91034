package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every metric name the alert rules and the dashboards use is declared in exported-metrics.txt
 * (the list a real scrape is checked against), and the name extraction itself works.
 */
class MetricNamesTest {
    /** Series Prometheus makes itself; no target exports them. */
    static final Set<String> PROMETHEUS_SYNTHETIC = Set.of("up");

    static Set<String> declared() {
        return Repo.read(Repo.EXPORTED_METRICS).lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Expression by where it comes from ("rules: GridTierJobDown", "pipeline-health.json: Restarts / A"). */
    static Map<String, String> ruleExpressions(String rulesYaml) {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode group : Manifests.yaml(rulesYaml).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.has("alert") ? rule.path("alert").asText() : rule.path("record").asText();
                out.put("rules: " + name, rule.path("expr").asText());
            }
        }
        return out;
    }

    static Map<String, String> dashboardExpressions() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Path file : dashboardFiles()) {
            JsonNode d = readJson(file);
            for (JsonNode panel : allPanels(d)) {
                for (JsonNode t : panel.path("targets")) {
                    out.put(file.getFileName() + ": " + panel.path("title").asText() + " / " + t.path("refId").asText(),
                            t.path("expr").asText());
                }
            }
            for (JsonNode v : d.path("templating").path("list")) {
                if ("query".equals(v.path("type").asText())) {
                    JsonNode q = v.path("query");
                    out.put(file.getFileName() + ": variable " + v.path("name").asText(),
                            q.isObject() ? q.path("query").asText() : q.asText());
                }
            }
        }
        return out;
    }

    static List<Path> dashboardFiles() {
        try (Stream<Path> s = Files.list(Repo.DASHBOARDS)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return Manifests.JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(file + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            out.add(p);
            p.path("panels").forEach(out::add);
        }
        return out;
    }

    /** Names used but not declared, by where they are used. */
    static Map<String, Set<String>> undeclared(Map<String, String> expressions, Set<String> declared) {
        Map<String, Set<String>> out = new TreeMap<>();
        expressions.forEach((where, expr) -> {
            Set<String> missing = new TreeSet<>(PromQl.metricNames(expr));
            missing.removeAll(declared);
            missing.removeAll(PROMETHEUS_SYNTHETIC);
            if (!missing.isEmpty()) {
                out.put(where, missing);
            }
        });
        return out;
    }

    @Test
    void everyMetricTheRulesUseIsDeclared() {
        Map<String, String> exprs = ruleExpressions(Repo.read(Repo.RULES));
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(10);
        assertThat(undeclared(exprs, declared()))
                .as("metric names in config/prometheus/gridtier-rules.yaml missing from exported-metrics.txt")
                .isEmpty();
    }

    @Test
    void everyMetricTheDashboardsUseIsDeclared() {
        Map<String, String> exprs = dashboardExpressions();
        assertThat(exprs.values()).as("dashboard queries").allSatisfy(e -> assertThat(e).isNotBlank());
        assertThat(undeclared(exprs, declared()))
                .as("metric names in helm/gridtier/dashboards/*.json missing from exported-metrics.txt")
                .isEmpty();
    }

    @Test
    void everyDeclaredMetricIsUsedSomewhere() {
        Set<String> used = new TreeSet<>();
        ruleExpressions(Repo.read(Repo.RULES)).values().forEach(e -> used.addAll(PromQl.metricNames(e)));
        dashboardExpressions().values().forEach(e -> used.addAll(PromQl.metricNames(e)));
        Set<String> unused = new TreeSet<>(declared());
        unused.removeAll(used);
        // _sum of the latency histogram is declared for the scrape comparison but not queried
        unused.remove("tier_service_http_request_duration_seconds_sum");
        assertThat(unused).as("declared in exported-metrics.txt but used by no rule or dashboard").isEmpty();
    }

    @Test
    void anUndeclaredNameIsReported() {
        String rules = """
                groups:
                  - name: g
                    rules:
                      - alert: Typo
                        expr: rate(flink_taskmanager_job_task_operator_gridtier_dead_letters{job="gridtier-flink"}[5m]) > 0
                """;
        assertThat(undeclared(ruleExpressions(rules), declared()))
                .containsEntry("rules: Typo", Set.of("flink_taskmanager_job_task_operator_gridtier_dead_letters"));
    }

    static Stream<Arguments> expressions() {
        return Stream.of(
                Arguments.of("up{job=\"gridtier-flink\"} == 0", Set.of("up")),
                Arguments.of("sum by (namespace, reason) (rate(a_b{x=~\"a|b\", y!=\"{c}\"}[5m])) / on (namespace) group_left(reason) c:d",
                        Set.of("a_b", "c:d")),
                Arguments.of("histogram_quantile(0.99, sum by (le) (rate(m_bucket[$__rate_interval]))) > 0.5", Set.of("m_bucket")),
                Arguments.of("max(x) without (pod) > bool 1e3 and y offset 1h unless z", Set.of("x", "y", "z")),
                Arguments.of("deriv(max by (ns) (lag)[15m:1m]) > 0", Set.of("lag")),
                Arguments.of("time() - min(w{job=\"j\", namespace=~\"$namespace\"} > 0) / 1000", Set.of("w")),
                Arguments.of("label_values(flink_jobmanager_numRunningJobs{job=\"gridtier-flink\"}, namespace)",
                        Set.of("flink_jobmanager_numRunningJobs")),
                Arguments.of("absent(up{job=\"t\"} == 1) or vector(0)", Set.of("up")),
                Arguments.of("sum(rate(e[${__range}]))", Set.of("e")));
    }

    @ParameterizedTest
    @MethodSource("expressions")
    void extractsTheMetricNames(String expr, Set<String> names) {
        assertThat(PromQl.metricNames(expr)).isEqualTo(names);
    }
}
