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
    void secretsBecomeReferencesThatKafkasConfigProvidersResolveInEachClient() throws Exception {
        String jaas = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"s3cr3t\";";
        Path file = Files.writeString(dir.resolve("kafka.properties"), "security.protocol=SASL_SSL\nsasl.jaas.config=" + jaas
                + "\nssl.truststore.location=/etc/ssl/truststore.jks\nssl.truststore.password=tr0st\n");
        JobConfig config = TestConfigs.load("kafka.propertiesFile=" + file);

        Properties p = KafkaClientProperties.of(config, Map.of("GRIDTIER_KAFKA_SSL_KEY_PASSWORD", "k3y",
                "GRIDTIER_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512"));

        // what the job graph carries: no secret, only references and the providers that resolve them
        assertThat(p.values()).noneMatch(v -> v.toString().contains("s3cr3t") || v.toString().contains("tr0st")
                || v.toString().contains("k3y"));
        assertThat(p.getProperty("sasl.jaas.config"))
                .isEqualTo("${gridtierfile:" + file.toAbsolutePath().normalize() + ":sasl.jaas.config}");
        assertThat(p.getProperty("ssl.key.password")).isEqualTo("${gridtierenv:GRIDTIER_KAFKA_SSL_KEY_PASSWORD}");
        assertThat(p.getProperty("sasl.mechanism")).as("not a secret: copied").isEqualTo("SCRAM-SHA-512");
        assertThat(p.getProperty("ssl.truststore.location")).isEqualTo("/etc/ssl/truststore.jks");
        assertThat(p.getProperty("config.providers")).isEqualTo("gridtierenv,gridtierfile");

        // what a Kafka client built from them in another process sees: the file's secrets, resolved by Kafka
        Properties client = KafkaClientProperties.with(p,
                "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
        org.apache.kafka.clients.producer.ProducerConfig resolved = new org.apache.kafka.clients.producer.ProducerConfig(client);
        assertThat(resolved.getPassword("sasl.jaas.config").value()).isEqualTo(jaas);
        assertThat(resolved.getPassword("ssl.truststore.password").value()).isEqualTo("tr0st");
    }

    @Test
    void withoutSecretsNoProviderIsDeclaredAndAUsersOwnProvidersAndReferencesStay() throws Exception {
        assertThat(KafkaClientProperties.of(TestConfigs.load(), Map.of("GRIDTIER_KAFKA_CLIENT_DNS_LOOKUP", "use_all_dns_ips"))
                .getProperty("config.providers")).isNull();
        Path file = Files.writeString(dir.resolve("own.properties"), "config.providers=vault\n"
                + "config.providers.vault.class=com.example.VaultConfigProvider\nsasl.jaas.config=${vault:kafka:jaas}\n");
        Properties p = KafkaClientProperties.of(TestConfigs.load("kafka.propertiesFile=" + file),
                Map.of("GRIDTIER_KAFKA_SSL_KEY_PASSWORD", "k3y"));
        assertThat(p.getProperty("sasl.jaas.config")).isEqualTo("${vault:kafka:jaas}");
        assertThat(p.getProperty("config.providers")).isEqualTo("vault,gridtierenv");
        assertThat(p.getProperty("config.providers.vault.class")).isEqualTo("com.example.VaultConfigProvider");
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
