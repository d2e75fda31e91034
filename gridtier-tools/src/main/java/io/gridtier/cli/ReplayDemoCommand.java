package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.generator.AlertEvaluation;
import io.gridtier.generator.GenerateCommand;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplaySummary;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.Factor;
import io.gridtier.schema.SegmentAlert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * `gridtier replay-demo`: the offline demo. Generate a population with the built-in generator, replay it through the job (the
 * same operators as production, on RocksDB), and show the tiers, the most important alerts with
 * their reasons and treatment, and how the alerts score against the generator's ground truth.
 */
@Command(name = "replay-demo", description = {"Offline: generate, replay and score a population.",
    "Generates a population, replays it through the job (the production operators, on RocksDB) and prints "
        + "the tiers, the key alerts with their reasons, and their precision and recall against the generator's "
        + "ground truth."})
final class ReplayDemoCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private PopulationOptions population = new PopulationOptions(2000);

    @Option(names = "--out", paramLabel = "DIR",
            description = "Where the population and the results go (default work/replay-demo).")
    private Path outDir;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Override
    public Integer call() throws Exception {
        Path out = outDir != null ? outDir : GridTier.home().resolve("work/replay-demo");
        GeneratorOptions generation;
        try {
            generation = population.generator();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        JobConfig config = job.load();
        SegmentationModel model = GridTier.model(config);

        Path populationDir = out.resolve("population");
        System.out.println("== 1/3 Generating " + population.describe() + " into " + populationDir);
        int rc = GenerateCommand.generate(generation, populationDir, System.out, System.err);
        if (rc != 0) {
            return rc;
        }
        Path results = out.resolve("results");
        System.out.println("\n== 2/3 Replaying them through the segmentation job (model " + model.version() + ") into " + results);
        ReplaySummary summary = new Replay(config, model, System.out).run(populationDir.resolve("events.jsonl"), results);
        System.out.print(summary.report());

        System.out.println("\n== 3/3 What the job found");
        List<SegmentAlert> alerts = AlertEvaluation.readAlerts(results.resolve("alerts.jsonl"));
        printImportant(alerts, AlertType.KEY_ACCOUNT_ENTERED, 5);
        printImportant(alerts, AlertType.CHURN_RISK_RAISED, 5);
        AlertEvaluation.Result score = AlertEvaluation.evaluate(populationDir.resolve("ground-truth.csv"),
                results.resolve("alerts.jsonl"), config.zone(), null);
        System.out.println();
        score.print(System.out);
        System.out.println("\nAll outputs: " + results + " (segments.jsonl, alerts.jsonl, dead-letters.jsonl)");
        return 0;
    }

    /** The latest alerts of a type, each with the factors that drove it and the playbook's treatment. */
    private static void printImportant(List<SegmentAlert> alerts, AlertType type, int max) {
        List<SegmentAlert> ofType = alerts.stream().filter(x -> x.getType() == type)
                .sorted(Comparator.comparing(SegmentAlert::getEventTime).reversed()).limit(max).toList();
        long total = alerts.stream().filter(x -> x.getType() == type).count();
        System.out.printf(Locale.ROOT, "%nLatest %s alerts (%d of %,d):%n", type, ofType.size(), total);
        String score = type == AlertType.CHURN_RISK_RAISED ? "CHURN" : "VALUE";
        for (SegmentAlert alert : ofType) {
            System.out.printf(Locale.ROOT, "  %s  %s  %s -> %s  (value %.1f, churn %.1f, credit %s)%n",
                    alert.getEventTime().toString().substring(0, 10), alert.getCustomerId(), alert.getPrevious(),
                    alert.getCurrent(), alert.getSegment().getValueScore(), alert.getSegment().getChurnScore(),
                    alert.getSegment().getCreditRating());
            alert.getSegment().getFactors().stream()
                    .filter(f -> f.getScore().name().equals(score) && f.getContribution() > 0)
                    .sorted(Comparator.comparingDouble(Factor::getContribution).reversed()).limit(3)
                    .forEach(f -> System.out.printf(Locale.ROOT, "      +%5.1f  %s%n", f.getContribution(), f.getDetail()));
            System.out.println("      -> " + alert.getRecommendedAction());
        }
    }
}
