package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/gridtier's command line: help, option names and types, exit codes. Parses only; runs no job. */
class GridTierCommandLineTest {
    private static final List<String> COMMANDS = List.of("demo", "replay-demo", "replay", "run", "generate", "evaluate",
            "score-report", "calibrate", "model", "backtest",
            "convert-tianchi", "bench", "bench-e2e", "config", "service", "cluster", "fault-drill", "completion");

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return commandLine().execute(args);
    }

    private CommandLine commandLine() {
        return GridTier.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void topLevelHelpListsEveryCommandWithOneLineEach() {
        assertThat(run("--help")).isZero();
        for (String command : COMMANDS) {
            assertThat(out()).containsPattern("(?m)^  " + command + "[ ,]+\\S.*$");
        }
        assertThat(out()).contains("demo, live-demo");
        assertThat(out().lines().filter(l -> l.startsWith("     "))).as("no command's line wraps").isEmpty();
    }

    @Test
    void versionNamesTheProjectVersionAndEveryCommandInheritsHelpAndVersion() {
        assertThat(run("--version")).isZero();
        assertThat(out()).startsWith("GridTier ").doesNotContain("unknown").doesNotContain("${")
                .containsPattern("GridTier \\d+\\.\\d+").contains("Flink 2.");
        for (String command : COMMANDS) {
            assertThat(commandLine().getSubcommands().get(command).getCommandSpec().optionsMap())
                    .as(command).containsKeys("-h", "--help", "-V", "--version");
        }
    }

    @Test
    void noArgumentsPrintTheUsageAndExitTwo() {
        assertThat(run()).isEqualTo(2);
        assertThat(out()).contains("Usage: gridtier").contains("replay-demo");
    }

    @Test
    void helpCommandExitsZero() {
        assertThat(run("help")).isZero();
        assertThat(out()).contains("Usage: gridtier");
        assertThat(run("help", "generate")).isZero();
        assertThat(out()).contains("Usage: gridtier generate");
    }

    @Test
    void unknownCommandExitsTwoNamingIt() {
        assertThat(run("replai")).isEqualTo(2);
        assertThat(err()).contains("'replai'");
    }

    @ParameterizedTest(name = "{0} --help")
    @CsvSource(delimiter = '|', value = {
        "demo            | --customers --months --seed --data --minutes --speed --work --kafka-port --service-port --metrics-port --cluster --config --model --set",
        "live-demo       | --customers --minutes --work --kafka-port --service-port --metrics-port --set",
        "replay-demo     | --customers --seed --months --out --config --model --set",
        "replay          | --events --out --model-updates --config --model --set",
        "run             | --config --model --set --work --from --cluster",
        "generate        | --out --customers --seed --months --start --hourly-share --interval-minutes --fine-interval-minutes",
        "evaluate        | --truth --alerts --from --zone",
        "score-report    | --segments --outcomes --out --config --model --set",
        "calibrate       | --segments --outcomes --out --holdout --seed --l2 --total-points --model-version --config --model --set",
        "convert-tianchi | --out --csv",
        "bench           | --customers --days --readings-per-day --state-customers --config --push-model",
        "bench-e2e       | --customers --readings-per-day --days --checkpoint --rate --work --kafka-port --set",
        "config          | --config --model --set --reference",
        "backtest        | --events --candidate --out --top --config --model --set",
        "model           | push list",
        "fault-drill     | --customers --months --seed --speed --checkpoint --work --jar --without-faults",
        "service         | run|hash-token|produce-sample|bench tier-service/README.md",
        "cluster         | start|stop|status|add-taskmanager|kill-taskmanager|submit GRIDTIER_CLUSTER_DIR",
        "completion      | source <(bin/gridtier completion)",
    })
    void everyCommandsHelpExitsZeroAndNamesItsOptions(String command, String options) {
        assertThat(run(command, "--help")).isZero();
        assertThat(out()).contains("Usage: gridtier " + command.replace("live-demo", "demo")).contains("--help");
        for (String option : options.split(" ")) {
            assertThat(out()).contains(option);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"demo", "replay-demo", "replay --events e.jsonl --out o", "run", "generate --out o",
        "evaluate --truth t.csv --alerts a.jsonl", "convert-tianchi --out o.jsonl", "bench", "bench-e2e", "config"})
    void unknownOptionExitsTwoNamingIt(String commandLine) {
        String command = commandLine.split(" ")[0];
        assertThat(run((commandLine + " --no-such-option").split(" "))).isEqualTo(2);
        assertThat(err()).contains("gridtier " + command + ": Unknown option: '--no-such-option'")
                .contains("Usage: gridtier " + command);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "generate --customers 10                  | '--out=DIR'",
        "replay --out work/x                      | '--events=FILE.jsonl'",
        "replay --events e.jsonl                  | '--out=DIR'",
        "evaluate --truth t.csv                   | '--alerts=alerts.jsonl'",
        "evaluate --alerts a.jsonl                | '--truth=ground-truth.csv'",
        "score-report --outcomes o.csv            | '--segments=segments.jsonl'",
        "calibrate --segments s.jsonl --outcomes o.csv | '--out=NEW.yaml'",
        "backtest --events e.jsonl --out o        | '--candidate=NEW.yaml'",
        "convert-tianchi --csv c.csv              | '--out=FILE.jsonl'",
    })
    void missingRequiredOptionExitsTwoNamingIt(String args, String option) {
        assertThat(run(args.trim().split(" "))).isEqualTo(2);
        assertThat(err()).contains("Missing required option").contains(option);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "generate --out d --customers abc       | --customers | 'abc' is not a whole number",
        "generate --out d --seed 4.2            | --seed      | '4.2' is not a whole number",
        "generate --out d --start 2024-13-01    | --start     | 2024-13-01",
        "generate --out d --hourly-share half   | --hourly-share | 'half' is not a number",
        "evaluate --truth t --alerts a --from x | --from      | 'x'",
        "evaluate --truth t --alerts a --zone Mars/Base | --zone | Mars/Base",
        "demo --minutes soon                    | --minutes   | 'soon' is not a number",
        "demo --kafka-port 90x2                 | --kafka-port | '90x2' is not a whole number",
        "demo --metrics-port off                | --metrics-port | 'off'",
        "replay-demo --months many              | --months    | 'many'",
        "bench --state-customers lots           | --state-customers | 'lots'",
        "bench-e2e --checkpoint 1s              | --checkpoint | '1s' is not an ISO-8601 duration",
        "bench-e2e --rate fast                  | --rate      | 'fast' is not a number",
        "generate --out                         | --out       | Missing required parameter",
    })
    void badValueExitsTwoNamingTheOption(String args, String option, String message) {
        assertThat(run(args.trim().split("\\s+"))).isEqualTo(2);
        assertThat(err()).contains("'" + option + "'").contains(message);
    }

    @Test
    void wholeNumbersMayBeGroupedAsInTheReadme() {
        ParseResult parsed = commandLine().parseArgs("bench", "--customers", "1_000_000", "--state-customers", "1,000");
        assertThat(parsed.subcommand().matchedOptionValue("--customers", 0)).isEqualTo(1_000_000);
        assertThat(parsed.subcommand().matchedOptionValue("--state-customers", 0)).isEqualTo(1000);
    }

    @Test
    void setIsRepeatableAndKeepsItsOrder() {
        ParseResult parsed = commandLine().parseArgs("demo", "--set", "flink.checkpointInterval=PT1S",
                "--set", "watermarks.idleness=PT2S", "--minutes", "0.5");
        assertThat(parsed.subcommand().matchedOptionValue("--set", List.of()))
                .containsExactly("flink.checkpointInterval=PT1S", "watermarks.idleness=PT2S");
        assertThat(parsed.subcommand().matchedOptionValue("--minutes", 0.0)).isEqualTo(0.5);
    }

    @Test
    void aValueStartingWithAtIsAValueNotAnArgumentFile() {
        ParseResult parsed = commandLine().parseArgs("config", "--set", "@kafka.groupId=x");
        assertThat(parsed.subcommand().matchedOptionValue("--set", List.of())).containsExactly("@kafka.groupId=x");
    }

    @Test
    void demoRejectsAStandstillSpeedAsABadCommandLine() {
        assertThat(run("demo", "--speed", "0")).isEqualTo(2);
        assertThat(err()).contains("--speed must be above 0");
    }

    @Test
    void configReferenceIsThePageDocsConfigurationIsMadeFrom() {
        assertThat(run("config", "--reference")).isZero();
        assertThat(out()).isEqualTo(JobConfig.reference());
    }

    @Test
    void configurationErrorsExitThree() {
        assertThat(run("config", "--config", "no/such/gridtier.yaml")).isEqualTo(3);
        assertThat(err()).contains("gridtier config: configuration error: configuration file")
                .contains("does not exist");
    }

    @Test
    void serviceOnlyPointsToBinGridtier() {
        assertThat(run("service", "run", "--port", "8081")).isEqualTo(2);
        assertThat(err()).contains("bin/gridtier service");
    }

    @Test
    void runOnAClusterThatIsNotThereSaysHowToStartOne() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("GRIDTIER_CLUSTER_DIR") == null);
        assertThat(run("run", "--cluster")).isEqualTo(3);
        assertThat(err()).contains("gridtier run: configuration error: no Flink cluster in")
                .contains("bin/gridtier cluster start");
    }

    @Test
    void clusterOnlyPointsToBinGridtier() {
        assertThat(run("cluster", "start", "--taskmanagers", "2")).isEqualTo(2);
        assertThat(err()).contains("bin/gridtier cluster");
    }

    @Test
    void completionPrintsABashScriptForEveryCommand() {
        assertThat(run("completion")).isZero();
        assertThat(out()).contains("#!/usr/bin/env bash").contains("complete -F").contains("_complete_gridtier");
        for (String command : COMMANDS) {
            assertThat(out()).contains(command);
        }
        assertThat(out()).contains("--kafka-port").contains("--hourly-share");
    }
}
