package io.gridtier.cli;

import io.gridtier.format.JsonLineCodec;
import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.testkit.SharedLocalKafka;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code gridtier model push|list} against the run's real broker, on a topic of its own. */
@ExtendWith(SharedLocalKafka.class)
class ModelCommandIT {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    private static final Path MODEL = CONFIG_DIR.resolve("model/gridtier-model-v1.yaml");
    private final String topic = "model-updates-it-" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        out.reset();
        err.reset();
        List<String> all = new java.util.ArrayList<>(List.of(args));
        all.addAll(List.of("--config", CONFIG_DIR.resolve("gridtier.yaml").toString(), "--model", MODEL.toString(),
                "--set", "kafka.bootstrapServers=" + SharedLocalKafka.bootstrapServers(),
                "--set", "kafka.topics.modelUpdates=" + topic));
        return GridTier.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(all.toArray(String[]::new));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static Path model(Path dir, String version, String materialChangePoints) throws Exception {
        Path f = dir.resolve(version + ".yaml");
        Files.writeString(f, Files.readString(MODEL).replaceFirst("(?m)^version: .*$", "version: " + version)
                .replaceFirst("(?m)^(\\s+materialChangePoints:) .*$", "$1 " + materialChangePoints));
        return f;
    }

    @Test
    void pushListsAndRefusesWhatTheJobWouldRefuse(@TempDir Path dir) throws Exception {
        assertThat(run("model", "list")).isZero();
        assertThat(out()).contains("start-up model gridtier-model-1.1").contains(": 0 record(s)")
                .contains("in force now").endsWith("gridtier-model-1.1" + System.lineSeparator());

        Path v2 = model(dir, "it-2", "2.0");
        assertThat(run("model", "push", v2.toString(), "--from", "2024-03-01", "--by", "tester")).as(err()).isZero();
        assertThat(out()).contains("pushed model it-2 (sha256:").contains("in force from 2024-03-01T00:00+08:00")
                .contains(topic + " (partition 0, offset 0)");

        assertThat(run("model", "push", v2.toString(), "--from", "2024-03-01", "--by", "tester")).isZero();
        assertThat(out()).contains("nothing pushed").contains("already in force");

        Path changed = model(dir, "it-2", "1.0");
        assertThat(run("model", "push", changed.toString(), "--from", "2024-03-01")).isEqualTo(1);
        assertThat(err()).contains("not pushed, the job would refuse it").contains("versions are immutable");

        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(v2).replaceFirst("materialChangePoints:", "materialChangePointz:"));
        assertThat(run("model", "push", broken.toString())).isNotZero();
        assertThat(err()).contains("materialChangePointz");

        assertThat(run("model", "list")).isZero();
        assertThat(out()).contains(": 1 record(s)").containsPattern("0 +it-2 +2024-03-01T00:00\\+08:00 +tester .*accepted")
                .contains("in force now").endsWith("it-2" + System.lineSeparator());
    }

    @Test
    void pushToAFileWritesTheUpdateAReplayTakes(@TempDir Path dir) throws Exception {
        Path updates = dir.resolve("updates.jsonl");
        assertThat(run("model", "push", model(dir, "it-3", "2.0").toString(), "--from", "2024-05-01T12:00+08:00",
                "--to-file", updates.toString())).as(err()).isZero();
        assertThat(run("model", "push", model(dir, "it-4", "2.0").toString(), "--to-file", updates.toString())).isZero();
        List<String> lines = Files.readAllLines(updates);
        assertThat(lines).hasSize(2);
        ModelUpdate u = (ModelUpdate) new JsonLineCodec(ZoneId.of("Asia/Shanghai")).decode(lines.get(0));
        assertThat(u.getVersion()).isEqualTo("it-3");
        assertThat(u.getEffectiveFrom()).isEqualTo(LocalDate.of(2024, 5, 1).atTime(12, 0).atZone(ZoneId.of("Asia/Shanghai")).toInstant());
        assertThat(u.getChecksum()).isEqualTo(ModelTimeline.checksum(u.getModel()));
        assertThat(run("model", "push", model(dir, "it-5", "2.0").toString(), "--from", "soon", "--to-file", updates.toString()))
                .isNotZero();
        assertThat(err()).contains("--from: 'soon' is not now, a date");
    }
}
