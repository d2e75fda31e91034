package io.gridtier.ops;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files under test live: the repository root and the module's target folder. */
final class Repo {
    static final Path ROOT = Path.of(System.getProperty("gridtier.root", "..")).toAbsolutePath().normalize();
    static final Path TARGET = Path.of(System.getProperty("gridtier.target", "target")).toAbsolutePath().normalize();

    static final Path CHART = ROOT.resolve("helm/gridtier");
    static final Path PRODUCTION_VALUES = CHART.resolve("ci/production-values.yaml");
    static final Path RULES = ROOT.resolve("config/prometheus/gridtier-rules.yaml");
    static final Path CHART_RULES = CHART.resolve("files/prometheus/gridtier-rules.yaml");
    static final Path RULE_TESTS = ROOT.resolve("config/prometheus/tests");
    static final Path RUNBOOK = ROOT.resolve("config/prometheus/RUNBOOK.md");
    static final Path DASHBOARDS = CHART.resolve("dashboards");
    static final Path EXPORTED_METRICS = ROOT.resolve("ops-tests/src/test/resources/exported-metrics.txt");
    /** The job jar flink-jobs attaches (classifier 'shaded'), which docker/job.Dockerfile copies. */
    static final Path JOB_JAR = Path.of(System.getProperty("gridtier.jobJar",
            ROOT.resolve("flink-jobs/target/gridtier-flink-jobs-0.1.0-SNAPSHOT-shaded.jar").toString()));

    private Repo() {
    }

    /** A fresh folder under target/ for one test's files. */
    static Path workDir(String name) {
        try {
            return Files.createDirectories(TARGET.resolve("ops-work").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a folder and everything in it (nothing if it does not exist). */
    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
