package io.gridtier.replay;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;
import io.gridtier.wire.CustomerIds;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and absurd input through the whole workflow (the replay: decode, validate, lateness gate,
 * keyBy, the keyed operator, on a local MiniCluster): the same events are replayed once clean and
 * once with implausible readings, malformed customer ids and a flood of distinct reading ids mixed
 * in between them. The job finishes, every customer's segments are exactly the clean run's, and each
 * bad record is a dead letter with its reason.
 */
class HostileInputPipelineIT {
    private static final Path ROOT = Path.of(System.getProperty("gridtier.configDir", "../config"))
            .toAbsolutePath().normalize().getParent();
    private static final Path DIR = ROOT.resolve("flink-jobs/target/hostile-input");
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final int FLOOD = 200;
    private static final JsonLineCodec CODEC = new JsonLineCodec(ZONE);

    private static Run clean;
    private static Run hostile;
    /** The hostile file's bad lines: line number → text, for the readings refused before the keyBy. */
    private static final Map<Long, String> refusedAtValidation = new TreeMap<>();

    private record Run(Map<String, List<String>> segments, List<DeadLetter> deadLetters) {
    }

    @BeforeAll
    static void replayCleanAndHostile() throws Exception {
        Replay.deleteRecursively(DIR);
        JobConfig config = JobConfig.load(ROOT.resolve("config/gridtier.yaml"),
                List.of("readings.maxPerCustomerDay=3", "flink.managedMemory=256m"), ROOT);
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        clean = replay(config, model, "clean", events(false));
        hostile = replay(config, model, "hostile", events(true));
    }

    @AfterAll
    static void cleanUp() {
        Replay.deleteRecursively(DIR);
    }

    /** Two customers over five days; C2's third day is three hourly readings, the most a day may hold here. */
    private static List<String> events(boolean withHostile) {
        List<String> lines = new ArrayList<>();
        lines.add(line(profile("C1")));
        lines.add(line(profile("C2")));
        for (int d = 1; d <= 5; d++) {
            String date = "2024-01-0" + d;
            lines.add(line(reading("C1", "C1-" + date, date, 24, 1440, 40_000)));
            if (withHostile && d == 2) {
                lines.add(line(reading("C1", "C1-absurd", date, 24, 1440, 1e300)));
                lines.add(line(reading("C1", "C1-too-much", date, 12, 60, 5e7)));   // 50 GWh in an hour
                lines.add(line(reading("C1/../C2", "C1-x", date, 12, 60, 1)));
                lines.add(line(profile("C 3")));
            }
            if (d == 3) {
                for (int h = 1; h <= 3; h++) {
                    lines.add(line(reading("C2", "C2-" + date + "-" + h, date, h, 60, 100)));
                }
                if (withHostile) {
                    for (int i = 0; i < FLOOD; i++) {
                        lines.add(line(reading("C2", "C2-flood-" + i, date, 1 + i % 23, 60, 1)));
                    }
                }
            } else {
                lines.add(line(reading("C2", "C2-" + date, date, 24, 1440, 2_000)));
            }
        }
        if (withHostile) {
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains("absurd") || lines.get(i).contains("too-much")) {
                    refusedAtValidation.put(i + 1L, lines.get(i));
                }
            }
        }
        return lines;
    }

    private static Run replay(JobConfig config, SegmentationModel model, String name, List<String> lines) throws Exception {
        Path dir = DIR.resolve(name);
        Files.createDirectories(dir);
        Path events = Files.write(dir.resolve("events.jsonl"), lines, StandardCharsets.UTF_8);
        new Replay(config, model, null).run(events, dir.resolve("out"));
        Map<String, List<String>> segments = new TreeMap<>();
        for (String l : Files.readAllLines(dir.resolve("out/segments.jsonl"), StandardCharsets.UTF_8)) {
            CustomerSegment s = (CustomerSegment) CODEC.decode(l, CustomerSegment.getClassSchema());
            segments.computeIfAbsent(s.getCustomerId(), k -> new ArrayList<>()).add(l);
        }
        List<DeadLetter> dead = new ArrayList<>();
        for (String l : Files.readAllLines(dir.resolve("out/dead-letters.jsonl"), StandardCharsets.UTF_8)) {
            dead.add((DeadLetter) CODEC.decode(l, DeadLetter.getClassSchema()));
        }
        return new Run(segments, dead);
    }

    @Test
    void theValidRecordsAroundTheBadOnesGiveExactlyTheSegmentsOfTheCleanRun() {
        assertThat(clean.segments()).containsOnlyKeys("C1", "C2");
        assertThat(clean.deadLetters()).isEmpty();
        assertThat(hostile.segments()).isEqualTo(clean.segments());
    }

    @Test
    void implausibleReadingsAreDeadLettersWithTheirLineAndNeverReachTheState() {
        List<DeadLetter> implausible = of(DeadLetterReason.IMPLAUSIBLE_VALUE);
        assertThat(implausible).hasSize(2);
        for (DeadLetter d : implausible) {
            assertThat(d.getSourceTopic()).isEqualTo("events.jsonl");
            assertThat(refusedAtValidation).containsEntry(d.getOffset(), text(d));
            assertThat(d.getDetail()).contains("validation.maxKwhPerHour");
        }
        // nothing infinite or NaN came out either: the clean and hostile segments are the same lines
        hostile.segments().values().forEach(list -> assertThat(list).noneMatch(l -> l.contains("Infinity") || l.contains("NaN")));
    }

    @Test
    void malformedCustomerIdsAreInvalidValuesNamingThePattern() {
        List<DeadLetter> invalid = of(DeadLetterReason.INVALID_VALUE);
        assertThat(invalid).hasSize(2);
        assertThat(invalid).allSatisfy(d -> assertThat(d.getDetail()).contains(CustomerIds.PATTERN));
        assertThat(invalid).extracting(HostileInputPipelineIT::text)
                .anyMatch(t -> t.contains("\"customerId\":\"C1/../C2\"")).anyMatch(t -> t.contains("\"customerId\":\"C 3\""));
    }

    @Test
    void aFloodOfDistinctReadingIdsBeyondTheDaysCapIsDeadLetteredReadingByReading() {
        List<DeadLetter> tooMany = of(DeadLetterReason.TOO_MANY_READINGS);
        assertThat(tooMany).hasSize(FLOOD);
        assertThat(tooMany).allSatisfy(d -> {
            assertThat(d.getDetail()).contains("2024-01-03", "3 distinct readings");
            assertThat(StandardCharsets.UTF_8.decode(d.getKey()).toString()).isEqualTo("C2");
            assertThat(text(d)).contains("\"readingId\":\"C2-flood-");
        });
        assertThat(hostile.deadLetters()).hasSize(2 + 2 + FLOOD);
    }

    private static List<DeadLetter> of(DeadLetterReason reason) {
        return hostile.deadLetters().stream().filter(d -> d.getReason() == reason).toList();
    }

    private static String text(DeadLetter d) {
        return StandardCharsets.UTF_8.decode(d.getValue().duplicate()).toString();
    }

    private static String line(SpecificRecord r) {
        return CODEC.encode(r);
    }

    private static CustomerProfile profile(String customerId) {
        return CustomerProfile.newBuilder().setCustomerId(customerId).setCategory(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL)
                .setIndustry(null).setVoltageKv(10.0).setContractCapacityKva(null).setAccountOpened(LocalDate.of(2010, 1, 1))
                .setContractEnd(null).setStatus(CustomerStatus.ACTIVE).setUpdatedAt(start("2024-01-01")).build();
    }

    private static MeterReading reading(String customerId, String readingId, String date, int endHour, int minutes, double kwh) {
        return MeterReading.newBuilder().setReadingId(readingId).setCustomerId(customerId).setMeterId(customerId + "-M1")
                .setIntervalEnd(start(date).plus(Duration.ofHours(endHour))).setIntervalMinutes(minutes).setKwh(kwh)
                .setQuality(ReadingQuality.ACTUAL).build();
    }

    private static Instant start(String date) {
        return LocalDate.parse(date).atStartOfDay(ZONE).toInstant();
    }
}
