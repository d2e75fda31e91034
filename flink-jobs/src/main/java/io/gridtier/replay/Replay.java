package io.gridtier.replay;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.JsonLineDecoder;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.FlinkSettings;
import io.gridtier.job.SegmentationJob;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs the segmentation workflow in bounded mode over a JSON-lines file (a backfill from exported
 * history, or a test) and writes {@code segments.jsonl}, {@code alerts.jsonl} and
 * {@code dead-letters.jsonl}. The same operators as the Kafka job; only source and sinks differ.
 */
public final class Replay {
    private final JobConfig config;
    private final SegmentationModel model;
    private final PrintStream progress;
    private java.nio.file.Path modelUpdates;

    public Replay(JobConfig config, SegmentationModel model, PrintStream progress) {
        this.config = config;
        this.model = model;
        this.progress = progress;
    }

    /** One output line, tagged with the file it belongs to (a Flink POJO). */
    public static class OutputLine {
        public String file;
        public String json;

        public OutputLine() {
        }

        OutputLine(String file, String json) {
            this.file = file;
            this.json = json;
        }
    }

    /**
     * Model versions to push during the replay: a JSON-lines file of {@code ModelUpdate} records (what
     * {@code gridtier model push --to-file} writes). Each applies from its effectiveFrom, exactly as on the
     * topic; all of them are read before the first evaluation.
     */
    public Replay withModelUpdates(java.nio.file.Path file) {
        if (file != null && !Files.isRegularFile(file)) {
            throw new IllegalArgumentException("model updates file " + file + " does not exist");
        }
        this.modelUpdates = file;
        return this;
    }

    public ReplaySummary run(java.nio.file.Path events, java.nio.file.Path outDir) throws Exception {
        if (!Files.isRegularFile(events)) {
            throw new IllegalArgumentException("events file " + events + " does not exist");
        }
        Files.createDirectories(outDir);
        java.nio.file.Path work = Files.createTempDirectory("gridtier-replay-");
        long started = System.nanoTime();
        try {
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                    FlinkSettings.of(config, work, false));
            env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
            String name = events.getFileName().toString();
            DataStream<RawRecord> input = env.fromSource(
                            FileSource.forRecordStreamFormat(new JsonLinesFormat(name), new Path(events.toAbsolutePath().toUri())).build(),
                            WatermarkStrategy.noWatermarks(), "replay " + name)
                    .uid("replay-source").setParallelism(1);
            SegmentationJob.ModelUpdates updates = modelUpdates == null ? SegmentationJob.noModelUpdates(env)
                    : new SegmentationJob.ModelUpdates(env.fromSource(
                            FileSource.forRecordStreamFormat(new JsonLinesFormat(modelUpdates.getFileName().toString()),
                                    new Path(modelUpdates.toAbsolutePath().toUri())).build(),
                            WatermarkStrategy.noWatermarks(), "model updates " + modelUpdates.getFileName())
                    .uid("replay-model-updates").setParallelism(1), ModelUpdateDecoder.jsonLine(config.zone()), false);
            SegmentationJob.Outputs outputs = SegmentationJob.defineWorkflow(input,
                    new JsonLineDecoder(config.zone()), config, model, 1, false, updates);
            String zone = config.zone().getId();
            DataStream<OutputLine> lines = outputs.segments().map(new Encode<>("segments.jsonl", zone)).name("encode segments")
                    .union(outputs.alerts().map(new Encode<>("alerts.jsonl", zone)).name("encode alerts"),
                            outputs.deadLetters().map(new Encode<>("dead-letters.jsonl", zone)).name("encode dead letters"));
            return write(env, lines, outDir, started);
        } finally {
            deleteRecursively(work);
        }
    }

    private ReplaySummary write(StreamExecutionEnvironment env, DataStream<OutputLine> lines, java.nio.file.Path outDir,
                                long started) throws Exception {
        JsonLineCodec codec = new JsonLineCodec(config.zone());
        Map<String, CustomerSegment> finals = new HashMap<>();
        Map<String, Long> alertsByType = new TreeMap<>();
        Map<String, Long> deadByReason = new TreeMap<>();
        long segments = 0, alerts = 0, dead = 0;
        long lastReport = System.nanoTime();
        try (BufferedWriter seg = Files.newBufferedWriter(outDir.resolve("segments.jsonl"), StandardCharsets.UTF_8);
             BufferedWriter alr = Files.newBufferedWriter(outDir.resolve("alerts.jsonl"), StandardCharsets.UTF_8);
             BufferedWriter dlq = Files.newBufferedWriter(outDir.resolve("dead-letters.jsonl"), StandardCharsets.UTF_8);
             CloseableIterator<OutputLine> it = lines.executeAndCollect("gridtier replay")) {
            String reached = "";
            while (it.hasNext()) {
                OutputLine line = it.next();
                switch (line.file) {
                    case "segments.jsonl" -> {
                        seg.write(line.json);
                        seg.newLine();
                        segments++;
                        CustomerSegment s = (CustomerSegment) codec.decode(line.json);
                        finals.put(s.getCustomerId(), s);
                        reached = codec.formatInstant(s.getAsOf());
                    }
                    case "alerts.jsonl" -> {
                        alr.write(line.json);
                        alr.newLine();
                        alerts++;
                        SegmentAlert a = (SegmentAlert) codec.decode(line.json, SegmentAlert.getClassSchema());
                        alertsByType.merge(a.getType().name(), 1L, Long::sum);
                    }
                    default -> {
                        dlq.write(line.json);
                        dlq.newLine();
                        dead++;
                        DeadLetter d = (DeadLetter) codec.decode(line.json);
                        deadByReason.merge(d.getReason().name(), 1L, Long::sum);
                    }
                }
                if (progress != null && System.nanoTime() - lastReport > 5_000_000_000L) {
                    lastReport = System.nanoTime();
                    progress.printf("replay: event time %s, %,d segments, %,d alerts, %,d dead letters (%.0f s)%n",
                            reached, segments, alerts, dead, (lastReport - started) / 1e9);
                }
            }
        }
        return new ReplaySummary(segments, alerts, dead, finals, alertsByType, deadByReason,
                (System.nanoTime() - started) / 1e9);
    }

    /** Encodes an output record as its JSON line. */
    private static final class Encode<T extends SpecificRecord> extends RichMapFunction<T, OutputLine>
            implements MapFunction<T, OutputLine> {
        private static final long serialVersionUID = 1L;
        private final String file;
        private final String zone;
        private transient JsonLineCodec codec;

        Encode(String file, String zone) {
            this.file = file;
            this.zone = zone;
        }

        @Override
        public void open(OpenContext openContext) {
            codec = new JsonLineCodec(ZoneId.of(zone));
        }

        @Override
        public OutputLine map(T record) {
            return new OutputLine(file, codec.encode(record));
        }
    }

    /** Deletes a folder tree, tolerating files that vanish meanwhile (Flink cleans up its own too). */
    public static void deleteRecursively(java.nio.file.Path dir) {
        for (int attempt = 0; attempt < 3 && Files.exists(dir); attempt++) {
            try (Stream<java.nio.file.Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file vanished while walking: walk again
            }
        }
    }
}
