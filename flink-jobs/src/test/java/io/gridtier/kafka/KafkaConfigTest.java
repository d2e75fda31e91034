package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The kafka.* keys of the job configuration: defaults and the checks that stop a wrong start-up. */
class KafkaConfigTest {
    @Test
    void defaultsAreTheContractsTopicsOnTheLocalBroker() {
        JobConfig c = TestConfigs.load();
        assertThat(c.kafkaBootstrapServers()).isEqualTo("127.0.0.1:9092");
        assertThat(KafkaConnectors.inputTopics(c)).containsExactly("meter-readings", "customer-profiles", "billing-events");
        assertThat(c.customerSegmentsTopic()).isEqualTo("customer-segments");
        assertThat(c.segmentAlertsTopic()).isEqualTo("segment-alerts");
        assertThat(c.deadLettersTopic()).isEqualTo("segmentation-dead-letters");
        assertThat(c.kafkaTransactionTimeout()).isLessThanOrEqualTo(Duration.ofMinutes(15));
        assertThat(c.kafkaPropertiesFile()).isEmpty();
        assertThat(KafkaConnectors.transactionalIdPrefix(c, "segments")).isEqualTo("gridtier-segmentation-segments");
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "kafka.bootstrapServers | localhost | 'localhost' is not host:port",
            "kafka.bootstrapServers | a:9092,b:99999 | 'b:99999' is not host:port",
            "kafka.bootstrapServers | '' | must name at least one broker",
            "kafka.topics.meterReadings | meter readings | is not a Kafka topic name",
            "kafka.topics.segmentAlerts | customer-segments | topic 'customer-segments' is also kafka.topics.customerSegments",
            "kafka.transactionTimeout | PT16M | is above PT15M",
            "kafka.transactionTimeout | PT5S | must be longer than flink.checkpointInterval",
            "kafka.transactionTimeout | 15 minutes | must be an ISO-8601 duration",
            "kafka.partitions | 0 | must be a whole number above 0",
            "kafka.replicationFactor | three | must be a whole number",
            "kafka.replicationFactor | 40000 | must be at most 32767",
            "kafka.createTopics | yes | must be true or false",
            "kafka.groupId | '' | must not be empty",
    })
    void aWrongValueStopsStartUpNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> TestConfigs.load(key + "=" + (value == null ? "" : value)))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(key + ":")
                .hasMessageContaining(message);
    }

    @Test
    void acceptsSeveralBrokersAndIpv6() {
        assertThat(TestConfigs.load("kafka.bootstrapServers=kafka-0.kafka:9092, kafka-1.kafka:9092,[::1]:9092")
                .kafkaBootstrapServers()).isEqualTo("kafka-0.kafka:9092,kafka-1.kafka:9092,[::1]:9092");
    }
}
