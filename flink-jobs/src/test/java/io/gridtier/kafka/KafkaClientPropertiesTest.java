package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientPropertiesTest {
    private Path dir;

    @BeforeEach
    void folder() throws Exception {
        dir = Files.createDirectories(TestConfigs.target().resolve("kafka-client-properties-test"));
    }

    @AfterEach
    void clean() {
        io.gridtier.replay.Replay.deleteRecursively(dir);
    }

    @Test
    void readsTheFileThenTheEnvironmentAndSetsTheBrokersFromTheConfiguration() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";
                ssl.truststore.location=/etc/ssl/truststore.jks
                """);
        JobConfig config = TestConfigs.load("kafka.propertiesFile=" + file, "kafka.bootstrapServers=broker-1:9093,broker-2:9093");

        Properties p = KafkaClientProperties.of(config, Map.of("GRIDTIER_KAFKA_SASL_MECHANISM", "PLAIN",
                "GRIDTIER_KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", "", "PATH", "/usr/bin"));

        assertThat(p.getProperty("bootstrap.servers")).isEqualTo("broker-1:9093,broker-2:9093");
        assertThat(p.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(p.getProperty("sasl.mechanism")).as("the environment wins over the file").isEqualTo("PLAIN");
        assertThat(p.getProperty("ssl.endpoint.identification.algorithm")).isEmpty();
        assertThat(p.getProperty("path")).isNull();
        String shown = KafkaClientProperties.describe(p);
        assertThat(shown).doesNotContain("password=\"p\"").contains("sasl.jaas.config=******")
                .contains("ssl.truststore.location=/etc/ssl/truststore.jks").contains("security.protocol=SASL_SSL");
    }

    @Test
    void refusesSettingsTheJobOwnsNamingWhereTheyCameFrom() throws Exception {
        Path file = Files.writeString(dir.resolve("kafka.properties"), "bootstrap.servers=x:1\nisolation.level=read_uncommitted\n");
        JobConfig config = TestConfigs.load("kafka.propertiesFile=" + file);

        assertThatThrownBy(() -> KafkaClientProperties.of(config, Map.of("GRIDTIER_KAFKA_TRANSACTIONAL_ID", "t")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafka.propertiesFile (" + file + "): 'bootstrap.servers' is set by the job; set kafka.bootstrapServers")
                .hasMessageContaining("'isolation.level'")
                .hasMessageContaining("environment variable GRIDTIER_KAFKA_TRANSACTIONAL_ID");
    }

    @Test
    void aMissingPropertiesFileStopsStartUp() {
        assertThatThrownBy(() -> TestConfigs.load("kafka.propertiesFile=" + dir.resolve("nowhere.properties")))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining("kafka.propertiesFile: file " + dir.resolve("nowhere.properties") + " does not exist");
    }
}
