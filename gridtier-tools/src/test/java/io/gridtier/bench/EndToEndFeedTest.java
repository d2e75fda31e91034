package io.gridtier.bench;

import io.gridtier.config.JobConfig;
import io.gridtier.generator.GeneratorOptions;
import io.gridtier.generator.PopulationGenerator;
import io.gridtier.ingest.RawRecord;
import io.gridtier.livedemo.EventClock;
import io.gridtier.livedemo.InputEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What bench-e2e produces (the synthetic workload, a generated population) and how it times the outputs. */
class EndToEndFeedTest {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    private static final JobConfig CONFIG = JobConfig.load(CONFIG_DIR.resolve("gridtier.yaml"), List.of(), CONFIG_DIR.getParent());

    @Test
    void theClockGivesTheSendingOfTheFirstRecordBeyondAnEventTime() {
        EventClock clock = new EventClock();
        clock.sent(1_000, 50);
        clock.sent(2_000, 60);
        clock.sent(1_500, 70); // behind the clock: moves nothing
        clock.sent(3_000, 80);
        assertThat(clock.firstSentAfter(999)).isEqualTo(50);
        assertThat(clock.firstSentAfter(1_000)).isEqualTo(60);
        assertThat(clock.firstSentAfter(1_999)).isEqualTo(60);
        assertThat(clock.firstSentAfter(2_500)).isEqualTo(80);
        assertThat(clock.firstSentAfter(3_000)).as("nothing sent beyond it yet").isEqualTo(-1);
    }

    @Test
    void theSyntheticFeedIsTheBenchWorkloadOnTheConfiguredTopicsWithItsSlotsTimes() throws Exception {
        WorkloadOptions workload = new WorkloadOptions(3, 2);
        workload.validate();
        BenchCommand.Readings readings = new BenchCommand.Readings(3, 24, false);
        long start = LocalDate.of(2025, 1, 1).atStartOfDay(ZoneId.of("Asia/Shanghai")).toInstant().toEpochMilli();
        try (EndToEndBench.SyntheticFeed feed = new EndToEndBench.SyntheticFeed(workload, CONFIG)) {
            for (long i = 0; i < workload.events(); i++) {
                InputEncoder.Encoded e = feed.next();
                RawRecord r = readings.map(i);
                assertThat(e.value()).isEqualTo(r.value);
                assertThat(e.key()).isEqualTo(r.key);
                long slot = i / 3;
                assertThat(e.topic()).isEqualTo(slot == 0 ? CONFIG.customerProfilesTopic() : CONFIG.meterReadingsTopic());
                assertThat(e.eventTime()).isEqualTo(slot == 0 ? start - 86_400_000L : start + slot * 3_600_000L);
            }
        }
    }

    @Test
    void aPopulationIsProducedLineByLineItsBadLinesAsTheyAre(@TempDir Path dir) throws Exception {
        new PopulationGenerator(GeneratorOptions.defaults().withCustomers(40).withMonths(2)).generate(dir);
        Path events = dir.resolve(PopulationGenerator.EVENTS_FILE);
        List<String> lines = Files.readAllLines(events).stream().filter(l -> !l.isBlank()).toList();
        int bad = 0;
        int bills = 0;
        try (EndToEndBench.PopulationFeed feed = new EndToEndBench.PopulationFeed(events, CONFIG)) {
            for (String line : lines) {
                InputEncoder.Encoded e = feed.next();
                if (e.isBadLine()) {
                    bad++;
                    assertThat(e.topic()).isEqualTo(CONFIG.meterReadingsTopic());
                    assertThat(new String(e.value(), StandardCharsets.UTF_8)).isEqualTo(line);
                } else {
                    assertThat(line).contains("\"customerId\":\"" + new String(e.key(), StandardCharsets.UTF_8) + "\"");
                    assertThat(Arrays.equals(e.value(), line.getBytes(StandardCharsets.UTF_8))).as("Avro, not the line").isFalse();
                    if (e.topic().equals(CONFIG.billingEventsTopic())) {
                        bills++;
                    }
                }
            }
            assertThat(bad).as("the generator writes hostile lines too").isPositive();
            assertThat(bills).isPositive();
            org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class, feed::next, "past the end");
        }
    }
}
