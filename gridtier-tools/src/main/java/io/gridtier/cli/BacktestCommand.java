package io.gridtier.cli;

import io.gridtier.backtest.Backtest;
import io.gridtier.backtest.BacktestReport;
import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code gridtier backtest}: what a candidate model would change, previewed on history. */
@Command(name = "backtest", description = {"Preview a candidate model on history against the current one.",
    "Both run over the same events with the job's operators; writes the tier migrations (at the end and month by "
        + "month), alert volumes by type and month, the customers that move most and report.html."})
final class BacktestCommand extends PrintingCommand {
    @Option(names = "--events", required = true, paramLabel = "FILE.jsonl", description = "The history (JSON lines).")
    private Path events;

    @Option(names = "--candidate", required = true, paramLabel = "NEW.yaml", description = "The model to preview.")
    private Path candidate;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Where to write report.txt, report.html, the CSV files and both runs' outputs.")
    private Path outDir;

    @Option(names = "--top", paramLabel = "N", defaultValue = "20", description = "Customers listed as movers (default 20).")
    private int top;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Override
    public Integer call() throws Exception {
        JobConfig config = job.load();
        if (!Files.isRegularFile(events)) {
            throw new InvalidConfigException("events file " + events + " does not exist");
        }
        SegmentationModel current = GridTier.model(config);
        SegmentationModel next = new SegmentationModel(ModelConfig.load(candidate), config.zone());
        BacktestReport report = new Backtest(config, out).run(events, current, next, outDir, top);
        out.println();
        out.print(report.text());
        out.println();
        out.println("Wrote " + outDir.resolve(BacktestReport.TEXT_FILE) + ", " + outDir.resolve(BacktestReport.HTML_FILE)
                + " and the CSV files");
        return 0;
    }
}
