package io.gridtier.ops;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/gridtier backtest} as a user runs it, on a generated population, then its report.html in headless Chromium: the page
 * renders on its own (no network, no script) and shows the migrations, the alert chart and the movers. The
 * screenshot lands in target/ops-work/backtest/report.png (docs/backtest-report.png comes from there).
 */
class BacktestReportIT {
    @Test
    void aCandidateModelIsPreviewedOnHistoryAndItsReportRendersInABrowser() throws Exception {
        Path base = Repo.workDir("backtest");
        Repo.deleteRecursively(base);
        Path gridtier = Repo.ROOT.resolve("bin/gridtier");
        Tools.Result generated = Tools.run(List.of(gridtier.toString(), "generate", "--customers", "150", "--seed", "3",
                "--months", "13", "--out", base.resolve("population").toString()), Repo.ROOT, Map.of(), 300);
        assertThat(generated.ok()).as(generated.describe()).isTrue();
        Path model = Repo.ROOT.resolve("config/model/gridtier-model-v1.yaml");
        Path candidate = Repo.write(base.resolve("candidate.yaml"), Files.readString(model)
                .replaceFirst("(?m)^version: .*$", "version: backtest-candidate")
                .replaceFirst("consumptionDrop: \\{points: 45,", "consumptionDrop: {points: 70,"));
        Path out = base.resolve("out");

        Tools.Result run = Tools.run(List.of(gridtier.toString(), "backtest",
                "--events", base.resolve("population/events.jsonl").toString(), "--candidate", candidate.toString(),
                "--out", out.toString(), "--model", model.toString(), "--top", "10"), Repo.ROOT, Map.of(), 600);
        assertThat(run.ok()).as(run.describe()).isTrue();
        String printed = run.stdout();
        assertThat(printed).as("progress lines").contains("backtest: replaying").contains("backtest: comparing the two runs");

        // the report's figures are those of the two runs' own outputs
        long currentAlerts = Files.readAllLines(out.resolve("current/alerts.jsonl")).size();
        long candidateAlerts = Files.readAllLines(out.resolve("candidate/alerts.jsonl")).size();
        assertThat(printed).contains("Backtest of backtest-candidate against gridtier-model-1.1")
                .contains(String.format(java.util.Locale.ROOT, "alerts: %,d and %,d.", currentAlerts, candidateAlerts))
                .contains("value tier: ").contains("churn risk: ").contains("Top 10 of ");
        assertThat(candidateAlerts).as("a heavier consumption drop raises more churn alerts").isGreaterThan(currentAlerts);
        List<String> movers = Files.readAllLines(out.resolve("movers.csv"));
        assertThat(movers).hasSize(11).allMatch(l -> l.startsWith("C") || l.startsWith("customerId"));
        assertThat(movers.get(1)).contains("CHURN consumptionDrop +");
        for (String f : List.of("report.txt", "report.html", "migrations-by-month.csv", "alerts-by-month.csv")) {
            assertThat(out.resolve(f)).isRegularFile();
        }

        Path chromium = Tools.chromium();
        Path png = base.resolve("report.png");
        Path profile = Repo.TARGET.resolve("tmp/chromium-backtest");
        Repo.deleteRecursively(profile);
        List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile);
        Map<String, String> env = Map.of("TMPDIR", Repo.TARGET.resolve("tmp").toString());
        try {
            String url = out.resolve("report.html").toUri().toString();
            Tools.Result shot = Tools.run(concat(common, "--screenshot=" + png, "--window-size=1300,2400", url), base, env, 120);
            assertThat(png).as(shot.describe()).isRegularFile();
            byte[] bytes = Files.readAllBytes(png);
            assertThat(new String(bytes, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
            assertThat(bytes.length).as("a rendered page, not a blank one").isGreaterThan(50_000);
            Tools.Result dom = Tools.run(concat(common, "--dump-dom", url), base, env, 120);
            assertThat(dom.stdout()).contains("Where customers end up").contains("Alerts per month")
                    .contains("<svg").contains("The customers that move most");
        } finally {
            Repo.deleteRecursively(profile);
        }
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
