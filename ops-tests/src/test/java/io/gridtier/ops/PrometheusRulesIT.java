package io.gridtier.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The alert rules: valid for promtool, unit-tested both ways, documented, and shipped unchanged by the chart. */
class PrometheusRulesIT {

    static List<JsonNode> alerts() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode group : Manifests.yaml(Repo.read(Repo.RULES)).path("groups")) {
            group.path("rules").forEach(out::add);
        }
        return out;
    }

    static List<Path> testFiles() {
        try (Stream<Path> s = Files.list(Repo.RULE_TESTS)) {
            return s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void promtoolAcceptsTheRules() {
        Tools.Result r = Tools.promtool("check", "rules", Repo.RULES.toString());
        assertThat(r.ok()).as(r.describe()).isTrue();
        assertThat(r.stdout() + r.stderr()).contains("SUCCESS: " + alerts().size() + " rules found");
    }

    @Test
    void promtoolUnitTestsPass() {
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        testFiles().forEach(f -> args.add(f.toString()));
        Tools.Result r = Tools.promtool(args.toArray(String[]::new));
        assertThat(r.ok()).as(r.describe()).isTrue();
    }

    /** The unit tests can fail: with every alert disarmed, each alert's firing test fails. */
    @Test
    void unitTestsFailWhenTheAlertsNeverFire() throws IOException {
        Path dir = Repo.workDir("disarmed-rules");
        ObjectNode rules = (ObjectNode) Manifests.yaml(Repo.read(Repo.RULES));
        for (JsonNode group : rules.path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                ((ObjectNode) rule).put("expr", "vector(1) > 2");
            }
        }
        Manifests.YAML.writeValue(dir.resolve("gridtier-rules.yaml").toFile(), rules);
        Path tests = Files.createDirectories(dir.resolve("tests"));
        List<String> args = new ArrayList<>(List.of("test", "rules"));
        for (Path f : testFiles()) {
            Path copy = tests.resolve(f.getFileName());
            Files.writeString(copy, Files.readString(f));
            args.add(copy.toString());
        }
        Tools.Result r = Tools.promtool(args.toArray(String[]::new));
        assertThat(r.ok()).as("promtool test rules must fail on disarmed rules").isFalse();
        for (JsonNode alert : alerts()) {
            assertThat(r.stdout() + r.stderr()).as("a failing test names " + alert.path("alert").asText())
                    .contains("alertname: " + alert.path("alert").asText() + ",");
        }
    }

    @Test
    void everyAlertHasAFiringAndASilentUnitTest() {
        Map<String, int[]> seen = new LinkedHashMap<>(); // alertname -> {firing, silent}
        alerts().forEach(a -> seen.put(a.path("alert").asText(), new int[2]));
        for (Path f : testFiles()) {
            for (JsonNode test : Manifests.yaml(Repo.read(f)).path("tests")) {
                for (JsonNode t : test.path("alert_rule_test")) {
                    int[] counts = seen.get(t.path("alertname").asText());
                    assertThat(counts).as("%s tests unknown alert %s", f.getFileName(), t.path("alertname").asText()).isNotNull();
                    counts[t.path("exp_alerts").size() > 0 ? 0 : 1]++;
                }
            }
        }
        seen.forEach((alert, c) -> {
            assertThat(c[0]).as("unit tests where %s fires", alert).isPositive();
            assertThat(c[1]).as("unit tests where %s stays silent", alert).isPositive();
        });
    }

    @Test
    void everyAlertHasSeveritySummaryDescriptionAndRunbook() {
        String runbook = Repo.read(Repo.RUNBOOK);
        Set<String> names = new TreeSet<>();
        for (JsonNode a : alerts()) {
            String name = a.path("alert").asText();
            assertThat(name).as("only alerting rules").isNotEmpty();
            assertThat(names.add(name)).as("alert names are unique: " + name).isTrue();
            assertThat(a.path("labels").path("severity").asText()).as(name + " severity").isIn("critical", "warning");
            assertThat(a.path("annotations").path("summary").asText()).as(name + " summary").isNotBlank();
            assertThat(a.path("annotations").path("description").asText()).as(name + " description").isNotBlank();
            assertThat(a.path("annotations").path("runbook").asText()).as(name + " runbook")
                    .isEqualTo("config/prometheus/RUNBOOK.md#" + name.toLowerCase());
            assertThat(runbook).as("RUNBOOK.md has a section for " + name).contains("\n## " + name + "\n");
        }
    }

    @Test
    void theChartShipsTheSameRules() {
        assertThat(Repo.read(Repo.CHART_RULES))
                .as("helm/gridtier/files/prometheus/gridtier-rules.yaml must be a copy of config/prometheus/gridtier-rules.yaml "
                        + "(cp config/prometheus/gridtier-rules.yaml helm/gridtier/files/prometheus/)")
                .isEqualTo(Repo.read(Repo.RULES));
    }
}
