package io.gridtier.generator;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GeneratorReproducibilityTest {
    private static final GeneratorOptions SMALL = GeneratorOptions.defaults()
            .withCustomers(150).withMonths(14).withSeed(7).withHourlyShare(0.05);

    @TempDir
    Path dir;

    @Test
    void sameSeedAndOptionsGiveByteIdenticalFiles() throws IOException {
        new PopulationGenerator(SMALL).generate(dir.resolve("a"));
        new PopulationGenerator(SMALL).generate(dir.resolve("b"));
        for (String file : new String[] {PopulationGenerator.EVENTS_FILE, PopulationGenerator.GROUND_TRUTH_FILE,
            PopulationGenerator.OUTCOMES_FILE, PopulationGenerator.README_FILE}) {
            assertThat(Files.readAllBytes(dir.resolve("b").resolve(file)))
                    .as(file).isEqualTo(Files.readAllBytes(dir.resolve("a").resolve(file)));
        }
    }

    @Test
    void anotherSeedGivesAnotherPopulation() throws IOException {
        new PopulationGenerator(SMALL).generate(dir.resolve("a"));
        new PopulationGenerator(SMALL.withSeed(8)).generate(dir.resolve("b"));
        assertThat(Files.readAllBytes(dir.resolve("b").resolve(PopulationGenerator.EVENTS_FILE)))
                .isNotEqualTo(Files.readAllBytes(dir.resolve("a").resolve(PopulationGenerator.EVENTS_FILE)));
        assertThat(Files.readAllLines(dir.resolve("b").resolve(PopulationGenerator.GROUND_TRUTH_FILE)))
                .isNotEqualTo(Files.readAllLines(dir.resolve("a").resolve(PopulationGenerator.GROUND_TRUTH_FILE)));
    }

    @Test
    void shortRunsStillScriptEveryTrajectoryInsideThePeriod() throws IOException {
        GeneratorOptions options = SMALL.withMonths(3).withCustomers(400);
        GenerationSummary summary = new PopulationGenerator(options).generate(dir);
        assertThat(summary.customers(Trajectory.GROWER)).isPositive();
        assertThat(summary.customers(Trajectory.CHURNER)).isEqualTo(16);
        for (GroundTruth row : GroundTruth.read(dir.resolve(PopulationGenerator.GROUND_TRUTH_FILE))) {
            if (row.changeStart() != null) {
                assertThat(row.changeStart()).isAfterOrEqualTo(options.start()).isBefore(options.end());
            }
        }
    }
}
