package io.gridtier.ops;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault drill as a user runs it, {@code bin/gridtier fault-drill}: the shaded job on a standalone cluster
 * of separate processes, fed through the project's broker, takes a poison record, two {@code kill -9}s of a
 * TaskManager (one during a checkpoint), a broker restart and a {@code kill -9} of the JobManager with a
 * cluster restart from the latest retained checkpoint, and its committed outputs still equal a failure-free
 * replay's: no alert lost, none twice, every customer's final segment the same. The drill checks that itself
 * (exit 0 and its RESULT lines); this test runs it, reads its figures and checks that it left no process behind.
 */
class FaultDrillIT {
    @Test
    void theJobLosesNothingAndDoublesNothingThroughKilledProcessesAndAPoisonRecord() throws Exception {
        Path work = Repo.workDir("fault-drill");
        Repo.deleteRecursively(work);
        Files.createDirectories(work);
        Path log = work.resolveSibling("fault-drill.log");
        Process drill = new ProcessBuilder(Repo.ROOT.resolve("bin/gridtier").toString(), "fault-drill",
                "--work", work.toString(), "--jar", Repo.JOB_JAR.toString(), "--customers", "200", "--months", "13", "--seed", "7")
                .directory(Repo.ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        boolean ended = drill.waitFor(15, TimeUnit.MINUTES);
        if (!ended) {
            drill.descendants().forEach(ProcessHandle::destroyForcibly);
            drill.destroyForcibly();
        }
        String out = Repo.read(log);
        out.lines().filter(l -> l.startsWith("RESULT") || l.startsWith("PROBLEM")).forEach(System.out::println);
        assertThat(ended).as("the drill ended within 15 minutes:\n" + tail(out)).isTrue();
        assertThat(drill.exitValue()).as("the drill's exit code:\n" + tail(out)).isZero();
        assertThat(out).contains("RESULT fault drill PASSED").contains("RESULT faults injected: 7");
        Matcher m = Pattern.compile("RESULT duplicates (\\d+), lost (\\d+), unexpected (\\d+), classifications differing (\\d+)").matcher(out);
        assertThat(m.find()).as("the drill's figures:\n" + tail(out)).isTrue();
        assertThat(List.of(m.group(1), m.group(2), m.group(3), m.group(4))).containsOnly("0");
        Matcher next = Pattern.compile("RESULT next model version \\S+-drill-next in force for (\\d+) of").matcher(out);
        assertThat(next.find()).as("the upgrade's figure:\n" + tail(out)).isTrue();
        assertThat(Integer.parseInt(next.group(1))).as("final segments under the upgrade's model version").isPositive();
        assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains(work.toString())).toList())
                .as("processes of the drill left running").isEmpty();
        Repo.deleteRecursively(work);
    }

    private static String tail(String out) {
        List<String> lines = out.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
