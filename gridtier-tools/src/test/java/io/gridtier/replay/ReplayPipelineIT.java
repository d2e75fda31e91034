package io.gridtier.replay;

import io.gridtier.config.JobConfig;
import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.generator.PopulationGenerator;
import io.gridtier.ingest.EventValidator;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.ModelTimeline;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole workflow on a MiniCluster with RocksDB (through {@link Replay}), over a generated
 * population with its duplicates, corrections, late batches and bad lines. The three replays share
 * the class's MiniCluster.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplayPipelineIT {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    @RegisterExtension
    static final MiniClusterExtension FLINK = ReplayCluster.of(ReplayPipelineIT::load,
            Path.of("target", "replay-pipeline-minicluster"), flink -> { });
    private final Path work = Path.of("target", "replay-pipeline-test").toAbsolutePath();
    private JobConfig config;
    private SegmentationModel model;
    private JsonLineCodec codec;
    private Path events;
    private ReplaySummary baseline;
    private Path baselineOut;

    private static JobConfig load() {
        return JobConfig.load(CONFIG_DIR.resolve("gridtier.yaml"), List.of(), CONFIG_DIR.getParent());
    }

    @BeforeAll
    void replayTheGeneratedPopulation(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Replay.deleteRecursively(work);
        config = load();
        model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        codec = new JsonLineCodec(config.zone());
        new PopulationGenerator(GeneratorOptions.defaults().withCustomers(150).withSeed(11).withMonths(15))
                .generate(work.resolve("population"));
        events = work.resolve("population").resolve(PopulationGenerator.EVENTS_FILE);
        baselineOut = work.resolve("baseline");
        baseline = ReplayCluster.onCluster(cluster, () -> new Replay(config, model, null).run(events, baselineOut));
    }

    @Test
    void everyScoreIsExplainedExactlyByItsFactors() throws IOException {
        List<String> lines = Files.readAllLines(baselineOut.resolve("segments.jsonl"));
        assertThat(lines).hasSizeGreaterThan(150);
        for (String line : lines) {
            CustomerSegment s = decodeSegment(line);
            assertThat(sum(s, ScoreKind.VALUE)).isCloseTo(s.getValueScore(), within(0.01));
            assertThat(sum(s, ScoreKind.CHURN)).isCloseTo(s.getChurnScore(), within(0.01));
            assertThat(sum(s, ScoreKind.CREDIT)).isCloseTo(s.getCreditScore(), within(0.01));
        }
    }

    @Test
    void everyBadLineIsADeadLetterWithItsOriginalTextAndNoGoodLineIs() throws Exception {
        EventValidator validator = new EventValidator(config.futureTolerance());
        List<String> lines = Files.readAllLines(events);
        Map<Long, String> bad = new TreeMap<>();
        long now = Instant.now().toEpochMilli();
        for (int i = 0; i < lines.size(); i++) {
            try {
                validator.validate(codec.decode(lines.get(i)), now);
            } catch (BadRecordException e) {
                bad.put(i + 1L, lines.get(i));
            }
        }
        assertThat(bad).isNotEmpty();
        Map<Long, String> deadLetters = new TreeMap<>();
        for (String line : Files.readAllLines(baselineOut.resolve("dead-letters.jsonl"))) {
            io.gridtier.schema.DeadLetter d = (io.gridtier.schema.DeadLetter) codec.decode(line);
            assertThat(d.getSourceTopic()).isEqualTo(PopulationGenerator.EVENTS_FILE);
            assertThat(d.getDetail()).isNotBlank();
            deadLetters.put(d.getOffset(), StandardCharsets.UTF_8.decode(d.getValue()).toString());
        }
        assertThat(deadLetters).isEqualTo(bad);
    }

    @Test
    void replayingTheSameEventsShuffledWithinEachEvaluationWindowGivesTheSameResults() throws Exception {
        Path shuffled = work.resolve("shuffled.jsonl");
        Files.write(shuffled, shuffleWithinWindows(Files.readAllLines(events), new Random(5)));
        assertThat(Files.readAllLines(shuffled)).isNotEqualTo(Files.readAllLines(events));
        Path out = work.resolve("shuffled-out");
        ReplaySummary summary = new Replay(config, model, null).run(shuffled, out);
        assertSameResults(summary, out);
    }

    @Test
    void sendingEveryEventTwiceChangesNothing() throws Exception {
        Path doubled = work.resolve("doubled.jsonl");
        List<String> twice = new ArrayList<>();
        for (String line : Files.readAllLines(events)) {
            twice.add(line);
            twice.add(line);
        }
        Files.write(doubled, twice);
        Path out = work.resolve("doubled-out");
        ReplaySummary summary = new Replay(config, model, null).run(doubled, out);
        assertThat(summary.finalSegments()).isEqualTo(baseline.finalSegments());
        assertThat(alertIds(out)).isEqualTo(alertIds(baselineOut));
    }

    @Test
    void modelUpdatesApplyFromTheirTimeWhateverTheirOrderInTheFileAndTheEventsOrder() throws Exception {
        String text = Files.readString(config.modelFile());
        String v2 = text.replaceFirst("(?m)^version: .*$", "version: replay-2")
                .replaceFirst("consumptionDrop: \\{points: 45,", "consumptionDrop: {points: 60,");
        String v3 = text.replaceFirst("(?m)^version: .*$", "version: replay-3")
                .replaceFirst("(?m)^(\\s+materialChangePoints:) .*$", "$1 1.0");
        String line2 = codec.encode(new ModelUpdate("replay-2", v2, LocalDate.of(2024, 4, 1).atStartOfDay(config.zone())
                .toInstant(), "test", Instant.EPOCH, ModelTimeline.checksum(v2)));
        String line3 = codec.encode(new ModelUpdate("replay-3", v3, LocalDate.of(2024, 9, 1).atStartOfDay(config.zone())
                .toInstant(), "test", Instant.EPOCH, ModelTimeline.checksum(v3)));
        Path inOrder = work.resolve("updates-in-order.jsonl");
        Path reversed = work.resolve("updates-reversed.jsonl");
        Files.write(inOrder, List.of(line2, line3));
        Files.write(reversed, List.of(line3, line2));
        Path shuffled = work.resolve("shuffled-for-models.jsonl");
        Files.write(shuffled, shuffleWithinWindows(Files.readAllLines(events), new Random(7)));

        Path first = work.resolve("models-in-order");
        ReplaySummary a = new Replay(config, model, null).withModelUpdates(inOrder).run(events, first);
        Path second = work.resolve("models-reversed");
        ReplaySummary b = new Replay(config, model, null).withModelUpdates(reversed).run(shuffled, second);

        assertThat(b.finalSegments()).isEqualTo(a.finalSegments());
        assertThat(alertIds(second)).isEqualTo(alertIds(first));
        assertThat(a.finalModels()).containsOnlyKeys("replay-3");
        assertThat(a.segments()).as("v3 writes a segment at every point moved").isGreaterThan(baseline.segments());
        for (String json : Files.readAllLines(first.resolve("segments.jsonl"))) {
            CustomerSegment seg = (CustomerSegment) codec.decode(json, CustomerSegment.getClassSchema());
            java.time.LocalDate day = seg.getAsOf().atZone(config.zone()).toLocalDate();
            String want = day.isBefore(LocalDate.of(2024, 4, 1)) ? model.version()
                    : day.isBefore(LocalDate.of(2024, 9, 1)) ? "replay-2" : "replay-3";
            assertThat(seg.getModelVersion()).as(seg.getCustomerId() + " " + seg.getAsOf()).isEqualTo(want);
        }
    }

    private void assertSameResults(ReplaySummary summary, Path out) throws IOException {
        assertThat(summary.finalSegments().keySet()).isEqualTo(baseline.finalSegments().keySet());
        for (String customer : baseline.finalSegments().keySet()) {
            assertThat(summary.finalSegments().get(customer)).as(customer).isEqualTo(baseline.finalSegments().get(customer));
        }
        assertThat(alertIds(out)).isEqualTo(alertIds(baselineOut));
        assertThat(summary.deadLetters()).isEqualTo(baseline.deadLetters());
    }

    /**
     * Permutes the lines between the points where the event-time clock (the largest timestamp read so
     * far) carries the watermark past a local midnight, keeping those points in place: no event moves
     * across an evaluation, and none becomes later than the allowed lateness.
     */
    private List<String> shuffleWithinWindows(List<String> lines, Random random) {
        long bound = config.maxOutOfOrderness().toMillis();
        long clock = Long.MIN_VALUE;
        long nextMidnight = Long.MIN_VALUE;
        List<String> out = new ArrayList<>(lines.size());
        List<String> window = new ArrayList<>();
        for (String line : lines) {
            long ts = timestamp(line);
            clock = Math.max(clock, ts);
            if (nextMidnight == Long.MIN_VALUE && clock != Long.MIN_VALUE) {
                nextMidnight = midnightAfter(clock - bound);
            }
            if (clock != Long.MIN_VALUE && clock - bound - 1 >= nextMidnight) {
                Collections.shuffle(window, random);
                out.addAll(window);
                window.clear();
                out.add(line); // the line that moves the watermark past midnight stays where it is
                nextMidnight = midnightAfter(clock - bound - 1);
            } else {
                window.add(line);
            }
        }
        Collections.shuffle(window, random);
        out.addAll(window);
        return out;
    }

    private long midnightAfter(long t) {
        LocalDate d = Instant.ofEpochMilli(t).atZone(config.zone()).toLocalDate();
        return d.plusDays(1).atStartOfDay(config.zone()).toInstant().toEpochMilli();
    }

    /** The event time the job would assign to a line; a line the job rejects does not move its clock. */
    private long timestamp(String line) {
        try {
            return new EventValidator(config.futureTolerance()).validate(codec.decode(line), Instant.now().toEpochMilli()).timestamp;
        } catch (BadRecordException e) {
            return Long.MIN_VALUE;
        }
    }

    private CustomerSegment decodeSegment(String line) {
        try {
            return (CustomerSegment) codec.decode(line);
        } catch (BadRecordException e) {
            throw new AssertionError(e);
        }
    }

    private static Set<String> alertIds(Path out) throws IOException {
        return io.gridtier.generator.AlertEvaluation.readAlerts(out.resolve("alerts.jsonl")).stream()
                .map(SegmentAlert::getAlertId).collect(Collectors.toSet());
    }

    private static double sum(CustomerSegment s, ScoreKind kind) {
        return s.getFactors().stream().filter(f -> f.getScore() == kind).mapToDouble(Factor::getContribution).sum();
    }
}
