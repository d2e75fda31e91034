package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplaySummary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** The one front door (bin/gridtier): every command a user runs. */
public final class GridTier {
    private GridTier() {
    }

    static final String USAGE = """
            usage: gridtier <command> [options]
              demo      [--customers N] [--months M] [--seed S] [--data TIANCHI.csv] [--minutes N]
                        [--speed DAYS_PER_SECOND] [--work DIR] [--kafka-port P] [--service-port P] [--metrics-port P]
                        the live pipeline: a real Kafka broker, the Kafka job, a generated population (or the real
                        enterprises of --data) streamed at SPEED simulated days per second (default 2), the agents'
                        service, a summary every 2 s; Ctrl-C or --minutes stops it all; a re-run resumes
                        (data in DIR, default work/demo or work/demo-tianchi); live-demo is the same command
              replay-demo [--customers N] [--seed S] [--months M] [--out DIR]
                        offline: generate a population, replay it, print tiers, the key alerts and their precision/recall
              replay    --events FILE.jsonl --out DIR [--model FILE] [--config FILE] [--set key=value]...
                        run the segmentation job in bounded mode over JSON lines
              run       [--config FILE] [--model FILE] [--set key=value]... [--work DIR] [--from CHECKPOINT]
                        run the segmentation job on Kafka (kafka.* settings) until stopped; creates missing
                        topics; a local run keeps checkpoints in DIR (default work/run) and resumes from them
              generate  --out DIR [--customers N] [--seed S] [--months M] [--start YYYY-MM-DD] [--hourly-share F]
                        write a synthetic population (events.jsonl + ground-truth.csv)
              evaluate  --truth ground-truth.csv --alerts alerts.jsonl [--from YYYY-MM-DD]
                        precision and recall of a replay's alerts against a generated ground truth
              convert-tianchi --out FILE.jsonl [--csv daily_kwh_wide.csv]
                        turn the 1,454 real enterprises of ../shared/data/tianchi-power into replayable JSON lines
              bench     [--customers N] [--days D] [--readings-per-day R] [--state-customers N]
                        measure the full job against the bare RocksDB ceiling (prints figures)
              bench-e2e [--customers N] [--readings-per-day R] [--days D] [--checkpoint PT1S] [--rate R/s] [--work DIR]  end to end on Kafka: throughput and event-to-output latency
              service   run|hash-token|produce-sample|bench [options]
                        the agents' lookup service (tier-service/README.md)
              config    [--config FILE] [--set key=value]...
                        validate a configuration and print every key
            """;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help")) {
            System.out.print(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "replay" -> replay(rest);
                case "run" -> {
                    Args a = new Args(rest, Set.of("config", "model", "work", "from"), Set.of());
                    JobConfig config = jobConfig(a);
                    yield io.gridtier.kafka.KafkaJob.run(config, model(config),
                            Path.of(a.get("work", home().resolve("work/run").toString())), a.get("from", null), System.out);
                }
                case "generate" -> io.gridtier.generator.GenerateCommand.run(rest);
                case "evaluate" -> io.gridtier.generator.AlertEvaluation.run(rest);
                case "convert-tianchi" -> io.gridtier.realdata.TianchiCommand.run(rest);
                case "demo", "live-demo" -> DemoCommand.run(rest);
                case "replay-demo" -> ReplayDemoCommand.run(rest);
                case "bench" -> io.gridtier.bench.BenchCommand.run(rest);
                case "bench-e2e" -> io.gridtier.bench.EndToEndBench.run(rest);
                case "config" -> config(rest);
                default -> {
                    System.err.println("gridtier: unknown command '" + args[0] + "'\n" + USAGE);
                    yield 2;
                }
            };
        } catch (Args.UsageException e) {
            System.err.println("gridtier " + args[0] + ": " + e.getMessage() + "\n" + USAGE);
            return 2;
        } catch (InvalidConfigException e) {
            System.err.println("gridtier " + args[0] + ": configuration error: " + e.getMessage());
            return 3;
        } catch (Exception e) {
            System.err.println("gridtier " + args[0] + ": failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    /** The project folder: config paths in the configuration are relative to it. */
    static Path home() {
        return Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath().normalize();
    }

    /** Loads the job configuration named by --config (default config/gridtier.yaml), --model and --set. */
    static JobConfig jobConfig(Args a) {
        Path file = Path.of(a.get("config", home().resolve("config/gridtier.yaml").toString()));
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("configuration file " + file + " does not exist");
        }
        List<String> overrides = new ArrayList<>(a.sets());
        String model = a.get("model", null);
        if (model != null) {
            overrides.add("model=" + Path.of(model).toAbsolutePath());
        }
        return JobConfig.load(file, overrides, home());
    }

    static SegmentationModel model(JobConfig config) {
        return new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
    }

    private static int replay(String[] rest) throws Exception {
        Args a = new Args(rest, Set.of("events", "out", "model", "config"), Set.of());
        Path events = Path.of(a.required("events"));
        Path out = Path.of(a.required("out"));
        JobConfig config = jobConfig(a);
        SegmentationModel model = model(config);
        System.out.println("Replaying " + events + " with model " + model.version() + " into " + out);
        ReplaySummary summary = new Replay(config, model, System.out).run(events, out);
        System.out.print(summary.report());
        return 0;
    }

    private static int config(String[] rest) {
        Args a = new Args(rest, Set.of("config", "model"), Set.of());
        JobConfig config = jobConfig(a);
        SegmentationModel model = model(config);
        System.out.print(config.describe());
        System.out.println("model version: " + model.version() + " (" + config.modelFile() + ")");
        return 0;
    }
}
