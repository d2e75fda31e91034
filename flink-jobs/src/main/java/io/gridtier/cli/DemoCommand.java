package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplaySummary;

import java.nio.file.Path;
import java.util.Set;

/** `gridtier demo`: generate a population, replay it through the job, and show what came out. */
final class DemoCommand {
    private DemoCommand() {
    }

    static int run(String[] rest) throws Exception {
        Args a = new Args(rest, Set.of("customers", "seed", "months", "out", "config", "model"), Set.of());
        Path out = Path.of(a.get("out", GridTier.home().resolve("work/demo").toString()));
        String customers = String.valueOf(a.intValue("customers", 2000));
        String seed = String.valueOf(a.intValue("seed", 42));
        String months = String.valueOf(a.intValue("months", 25));
        Path population = out.resolve("population");
        int rc = io.gridtier.generator.GenerateCommand.run(new String[] {
                "--customers", customers, "--seed", seed, "--months", months, "--out", population.toString()});
        if (rc != 0) {
            return rc;
        }
        JobConfig config = GridTier.jobConfig(a);
        SegmentationModel model = GridTier.model(config);
        Path results = out.resolve("results");
        ReplaySummary summary = new Replay(config, model, System.out).run(population.resolve("events.jsonl"), results);
        System.out.print(summary.report());
        return 0;
    }
}
