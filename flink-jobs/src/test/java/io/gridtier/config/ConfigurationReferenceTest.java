package io.gridtier.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/configuration.md is generated from the key table; this fails when the two drift apart. */
class ConfigurationReferenceTest {
    private static final Path DOC = Path.of(System.getProperty("gridtier.configDir", "../config"))
            .toAbsolutePath().normalize().getParent().resolve("docs/configuration.md");

    @Test
    void docsConfigurationPageIsTheGeneratedReference() throws Exception {
        assertThat(DOC).as("docs/configuration.md; make it with: bin/gridtier config --reference > docs/configuration.md")
                .isRegularFile();
        assertThat(Files.readString(DOC, StandardCharsets.UTF_8))
                .as("docs/configuration.md differs from the code's key table; regenerate it with "
                        + "`bin/gridtier config --reference > docs/configuration.md`")
                .isEqualTo(JobConfig.reference());
    }

    @Test
    void referenceNamesEveryKeyWithItsDefault() {
        String ref = JobConfig.reference();
        assertThat(ref).contains("| `timeZone` | `Asia/Shanghai` |", "| `flink.checkpointDir` | (empty) |",
                "| `kafka.topics.deadLetters` | `segmentation-dead-letters` |", "`defaultTariffs`");
    }
}
