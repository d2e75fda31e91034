package io.gridtier.tierservice.support;

import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

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
        FileUtils.deleteDirectory(dir.toFile()); // nothing when it does not exist
    }

    /** Home of the repository (the folder holding bin/ and local-kafka/). */
    public static Path repoHome() {
        return Path.of(System.getProperty("gridtier.home", "..")).toAbsolutePath().normalize();
    }
}
