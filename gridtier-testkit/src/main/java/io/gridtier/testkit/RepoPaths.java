package io.gridtier.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checkout is, for tests that start the project's own processes or read its files. */
public final class RepoPaths {
    private RepoPaths() {
    }

    /**
     * The repository root: the folder above {@code gridtier.configDir} when the build sets it, else the first
     * folder upwards from the working directory that holds {@code config/gridtier.yaml}.
     */
    public static Path root() {
        String configDir = System.getProperty("gridtier.configDir");
        if (configDir != null) {
            return Path.of(configDir).toAbsolutePath().normalize().getParent();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("config/gridtier.yaml"))) {
                return p;
            }
        }
        throw new IllegalStateException("not inside a GridTier checkout (no config/gridtier.yaml above "
                + Path.of("").toAbsolutePath() + "); set -Dgridtier.configDir");
    }
}
