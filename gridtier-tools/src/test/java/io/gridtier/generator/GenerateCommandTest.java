package io.gridtier.generator;

import io.gridtier.cli.GridTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class GenerateCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "generate";
        System.arraycopy(args, 0, command, 1, args.length);
        return GridTier.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(command);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--customers x --out d          | Invalid value for option '--customers': 'x' is not a whole number",
        "--customers 0 --out d          | customers must be between 1 and",
        "--months 0 --out d             | months must be between 1 and 240, was 0",
        "--start 2024-13-01 --out d     | Invalid value for option '--start'",
        "--hourly-share 1.5 --out d     | hourly share must be between 0 and 1",
        "--interval-minutes 30 --out d  | reading interval must be one of [1440, 60, 15] minutes",
        "--bogus 1 --out d              | Unknown options: '--bogus'",
        "--customers 10                 | Missing required option: '--out=DIR'",
        "--out                          | Missing required parameter for option '--out'",
    })
    void rejectsBadArgumentsWithAClearMessageAndExitCodeTwo(String args, String message) {
        assertThat(run(args.trim().split("\\s+"))).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).contains("Usage: gridtier generate");
    }

    @Test
    void writesTheFilesAndPrintsProgressAndASummary() {
        int code = run("--customers", "60", "--months", "2", "--seed", "5", "--start", "2024-03-01",
                "--out", dir.toString(), "--hourly-share", "0.2");
        assertThat(code).isZero();
        assertThat(dir.resolve(PopulationGenerator.EVENTS_FILE)).isNotEmptyFile();
        assertThat(dir.resolve(PopulationGenerator.GROUND_TRUTH_FILE)).isNotEmptyFile();
        assertThat(dir.resolve(PopulationGenerator.README_FILE)).content().contains("Seed 5");
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("SYNTHETIC")
                .contains("generated 2024-03")
                .contains("RESIDENTIAL")
                .contains("MeterReading ACTUAL")
                .contains("Generated in");
    }

    @Test
    void helpPrintsUsage() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--hourly-share");
    }
}
