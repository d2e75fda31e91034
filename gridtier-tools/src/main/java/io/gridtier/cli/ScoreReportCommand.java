package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.evaluation.Outcome;
import io.gridtier.evaluation.ScoreReport;
import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.model.ModelConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** {@code gridtier score-report}: the command line of {@link ScoreReport}. */
@Command(name = "score-report", description = {"Measure the scores against the customers' outcomes.",
    "ROC AUC, precision and recall at the model's alert thresholds, top-decile lift and calibration of the churn, "
        + "credit and value scores against outcomes.csv, each customer judged on its latest segment before the outcome."})
final class ScoreReportCommand extends PrintingCommand {
    @Mixin
    private OutcomeInputs inputs = new OutcomeInputs();

    @Option(names = "--out", paramLabel = "DIR",
            description = "Also write score-report.txt and score-report.html (self-contained) here.")
    private Path outDir;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Override
    public Integer call() throws Exception {
        JobConfig config = job.load();
        ModelConfig model = GridTier.model(config).config();
        SegmentHistory history = SegmentHistory.read(inputs.segments, config.zone());
        List<Outcome> rows = Outcome.read(inputs.outcomes);
        ScoreReport report = ScoreReport.measure(history, rows, model, config.zone());
        out.print(report.text());
        if (outDir != null) {
            report.write(outDir);
            out.println();
            out.println("Wrote " + outDir.resolve(ScoreReport.TEXT_FILE) + " and " + outDir.resolve(ScoreReport.HTML_FILE));
        }
        return 0;
    }
}
