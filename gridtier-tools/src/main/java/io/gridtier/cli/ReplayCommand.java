package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplaySummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code gridtier replay}: the segmentation job in bounded mode over a file of JSON lines. */
@Command(name = "replay", description = {"Run the job in bounded mode over JSON lines.",
    "Writes segments.jsonl, alerts.jsonl and dead-letters.jsonl into the output folder."})
final class ReplayCommand implements Callable<Integer> {
    @Option(names = "--events", required = true, paramLabel = "FILE.jsonl",
            description = "The events to replay (gridtier generate or convert-tianchi writes them).")
    private Path events;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the job's outputs.")
    private Path out;

    @Option(names = "--model-updates", paramLabel = "FILE.jsonl",
            description = "Model versions to apply, each from its time, as the job applies the model-updates topic "
                    + "(gridtier model push --to-file writes them).")
    private Path modelUpdates;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Override
    public Integer call() throws Exception {
        JobConfig config = job.load();
        SegmentationModel model = GridTier.model(config);
        System.out.println("Replaying " + events + " with model " + model.version()
                + (modelUpdates == null ? "" : " and the updates in " + modelUpdates) + " into " + out);
        ReplaySummary summary = new Replay(config, model, System.out).withModelUpdates(modelUpdates).run(events, out);
        System.out.print(summary.report());
        return 0;
    }
}
