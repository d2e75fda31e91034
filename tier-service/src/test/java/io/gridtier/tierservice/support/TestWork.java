package io.gridtier.tierservice.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/** Folders for a test, all under tier-service/target/test-work (never /tmp). */
public final class TestWork {
    private static final AtomicInteger N = new AtomicInteger();

    private TestWork() {
    }

    public static Path target() {
        return Path.of(System.getProperty("tierservice.target", "target")).toAbsolutePath();
    }

    public static Path newDir(String name) {
        Path dir = target().resolve("test-work").resolve(name + "-" + ProcessHandle.current().pid() + "-" + N.incrementAndGet());
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Home of the repository (the folder holding bin/ and local-kafka/). */
    public static Path repoHome() {
        return Path.of(System.getProperty("gridtier.home", "..")).toAbsolutePath().normalize();
    }
}
