package io.gridtier.backtest;

import io.gridtier.config.JobConfig;
import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.generator.AlertEvaluation;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplaySummary;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * Runs the current and the candidate model over the same history with the job's own operators (two bounded
 * {@link Replay}s, not a copy of the logic) and compares what they write ({@link BacktestReport}).
 */
public final class Backtest {
    private final JobConfig config;
    private final PrintStream progress;

    public Backtest(JobConfig config, PrintStream progress) {
        this.config = config;
        this.progress = progress;
    }

    /** Replays {@code events} under both models into {@code out/current} and {@code out/candidate}, then reports. */
    public BacktestReport run(Path events, SegmentationModel current, SegmentationModel candidate, Path out, int top)
            throws Exception {
        if (current.version().equals(candidate.version())) {
            throw new InvalidConfigException("the candidate model has the same version as the current one ('"
                    + current.version() + "'): give the candidate a version of its own, so that its segments can be told apart");
        }
        BacktestReport.Run a = replay(events, current, out.resolve("current"), "1/2, current model");
        BacktestReport.Run b = replay(events, candidate, out.resolve("candidate"), "2/2, candidate model");
        progress.println("backtest: comparing the two runs");
        double drift = Math.max(current.config().emission().materialChangePoints(),
                candidate.config().emission().materialChangePoints());
        BacktestReport report = new BacktestReport(events.getFileName().toString(), a, b, config.zone(), top, drift);
        report.write(out);
        return report;
    }

    private BacktestReport.Run replay(Path events, SegmentationModel model, Path dir, String which) throws Exception {
        progress.println("backtest: replaying " + events + " with " + model.version() + " (" + which + ") into " + dir);
        ReplaySummary summary = new Replay(config, model, progress).run(events, dir);
        progress.printf(java.util.Locale.ROOT, "backtest: %s done in %.1f s: %,d segments, %,d alerts%n", model.version(),
                summary.seconds(), summary.segments(), summary.alerts());
        return new BacktestReport.Run(model.version(), SegmentHistory.read(dir.resolve("segments.jsonl"), config.zone()),
                AlertEvaluation.readAlerts(dir.resolve("alerts.jsonl")));
    }
}
