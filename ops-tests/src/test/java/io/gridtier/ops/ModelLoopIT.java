package io.gridtier.ops;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's whole loop as a user runs it with {@code bin/gridtier}, on the generator's ground truth: replay
 * with the current model, {@code calibrate} the churn points to the generated churners, {@code backtest} the
 * fitted model against the current one (its report.html rendered in headless Chromium: screenshot and DOM),
 * then {@code model push --to-file} and a replay that applies the push from its date. The screenshot lands in
 * target/ops-work/model-loop/report.png (docs/backtest-report.png comes from such a run).
 */
class ModelLoopIT {
    private static final Pattern AS_OF = Pattern.compile("\"asOf\":\"([^\"]+)\"");
    private static final Pattern VERSION = Pattern.compile("\"modelVersion\":\"([^\"]+)\"");
    private static final String FITTED = "loop-calibrated";

    private final Path gridtier = Repo.ROOT.resolve("bin/gridtier");

    private Tools.Result gridtier(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of(gridtier.toString()));
        cmd.addAll(List.of(args));
        Tools.Result r = Tools.run(cmd, Repo.ROOT, Map.of(), 600);
        assertThat(r.ok()).as(r.describe()).isTrue();
        return r;
    }

    @Test
    void calibrateBacktestAndPushAFittedModelOnTheGeneratorsGroundTruth() throws Exception {
        Path base = Repo.workDir("model-loop");
        Repo.deleteRecursively(base);
        Path pop = base.resolve("population");
        Path model = Repo.ROOT.resolve("config/model/gridtier-model-v1.yaml");
        gridtier("generate", "--customers", "250", "--seed", "11", "--months", "15", "--out", pop.toString());
        gridtier("replay", "--events", pop.resolve("events.jsonl").toString(), "--out", base.resolve("current").toString());
        Tools.Result fit = gridtier("calibrate", "--segments", base.resolve("current/segments.jsonl").toString(),
                "--outcomes", pop.resolve("outcomes.csv").toString(), "--model", model.toString(),
                "--out", base.resolve("fitted.yaml").toString(), "--model-version", FITTED);
        assertThat(fit.stdout()).contains("Held-out churn AUC");

        // backtest: the figures are those of the two runs' own files
        Path out = base.resolve("backtest");
        Tools.Result bt = gridtier("backtest", "--events", pop.resolve("events.jsonl").toString(),
                "--candidate", base.resolve("fitted.yaml").toString(), "--out", out.toString(), "--model", model.toString(),
                "--top", "10");
        long currentAlerts = Files.readAllLines(out.resolve("current/alerts.jsonl")).size();
        long candidateAlerts = Files.readAllLines(out.resolve("candidate/alerts.jsonl")).size();
        assertThat(bt.stdout()).contains("backtest: replaying").contains("backtest: comparing the two runs")
                .contains("Backtest of " + FITTED + " against gridtier-model-1.1")
                .contains(String.format(java.util.Locale.ROOT, "alerts: %,d and %,d.", currentAlerts, candidateAlerts))
                .contains("value tier: ").contains("churn risk: ").contains("Top 10 of ");
        // (the same lines; their order across the job's subtasks is not fixed)
        assertThat(Files.readAllLines(out.resolve("current/alerts.jsonl")))
                .as("the backtest's current run is the plain replay")
                .containsExactlyInAnyOrderElementsOf(Files.readAllLines(base.resolve("current/alerts.jsonl")));
        List<String> movers = Files.readAllLines(out.resolve("movers.csv"));
        assertThat(movers).hasSize(11);
        assertThat(movers.get(1)).as("calibrate changes churn points only: the top mover moved by a churn factor")
                .contains("CHURN ");
        for (String f : List.of("report.txt", "report.html", "migrations-by-month.csv", "alerts-by-month.csv")) {
            assertThat(out.resolve(f)).isRegularFile();
        }
        screenshot(out.resolve("report.html"), base);

        // push the fitted model from 1 September 2024, as a file a replay takes, and replay with it
        Path updates = base.resolve("updates.jsonl");
        gridtier("model", "push", base.resolve("fitted.yaml").toString(), "--from", "2024-09-01", "--to-file", updates.toString());
        gridtier("replay", "--events", pop.resolve("events.jsonl").toString(), "--model-updates", updates.toString(),
                "--out", base.resolve("pushed").toString());
        Instant from = LocalDate.of(2024, 9, 1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant();
        int before = 0, after = 0;
        for (String line : Files.readAllLines(base.resolve("pushed/segments.jsonl"), StandardCharsets.UTF_8)) {
            Matcher t = AS_OF.matcher(line);
            Matcher v = VERSION.matcher(line);
            assertThat(t.find() && v.find()).as(line).isTrue();
            boolean fitted = !OffsetDateTime.parse(t.group(1)).toInstant().isBefore(from);
            assertThat(v.group(1)).as(line.substring(0, Math.min(120, line.length())))
                    .isEqualTo(fitted ? FITTED : "gridtier-model-1.1");
            if (fitted) {
                after++;
            } else {
                before++;
            }
        }
        assertThat(before).isPositive();
        assertThat(after).isPositive();
    }

    private static void screenshot(Path html, Path base) throws Exception {
        Path chromium = Tools.chromium();
        Path png = base.resolve("report.png");
        Path profile = Repo.TARGET.resolve("tmp/chromium-model-loop");
        Repo.deleteRecursively(profile);
        List<String> common = List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                "--user-data-dir=" + profile);
        Map<String, String> env = Map.of("TMPDIR", Repo.TARGET.resolve("tmp").toString());
        try {
            String url = html.toUri().toString();
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
