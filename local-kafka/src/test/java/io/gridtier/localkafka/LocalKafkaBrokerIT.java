package io.gridtier.localkafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class LocalKafkaBrokerIT {

    private static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private Path dir;
    private LocalKafkaBroker broker;

    @BeforeEach
    void createWorkFolder() throws IOException {
        Path target = Path.of(System.getProperty("basedir", "."), "target");
        Files.createDirectories(target);
        dir = Files.createTempDirectory(target, "local-kafka-test-");
    }

    @AfterEach
    void stopAndDelete() throws IOException {
        if (broker != null) {
            broker.close();
        }
        if (dir != null && Files.exists(dir)) {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    @Test
    @Timeout(90)
    void keepsPlainAndCommittedRecordsAcrossARestartOfTheSameFolder() throws Exception {
        int[] ports = freePorts();
        broker = LocalKafkaBroker.start(dir, ports[0], ports[1]);
        String clusterId = broker.clusterId();
        assertThat(dir.resolve("data/meta.properties")).exists();
        assertThat(dir.resolve("server.properties")).content().contains("listeners=PLAINTEXT\\://127.0.0.1\\:" + broker.port());

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("meter-readings", 2, (short) 1), new NewTopic("segment-alerts", 1, (short) 1)))
                    .all().get();
        }

        try (var producer = new KafkaProducer<>(producerConfig(null), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>("meter-readings", "C-1", "12.5 kWh")).get();
        }
        // Through a consumer group: the offsets topic must be creatable with one replica.
        assertThat(readAll("meter-readings", "read_uncommitted", "plain-reader"))
                .containsExactly("C-1=12.5 kWh");

        try (var producer = new KafkaProducer<>(producerConfig("local-kafka-test-tx"),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("segment-alerts", "C-1", "aborted"));
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>("segment-alerts", "C-1", "committed"));
            producer.commitTransaction();
        }
        assertThat(readAll("segment-alerts", "read_committed", null)).containsExactly("C-1=committed");

        broker.close();
        // Other ports on purpose: the folder, not the ports, identifies the broker.
        ports = freePorts();
        broker = LocalKafkaBroker.start(dir, ports[0], ports[1]);

        assertThat(broker.clusterId()).isEqualTo(clusterId);
        assertThat(readAll("meter-readings", "read_uncommitted", null)).containsExactly("C-1=12.5 kWh");
        assertThat(readAll("segment-alerts", "read_committed", null)).containsExactly("C-1=committed");
    }

    private Map<String, Object> producerConfig(String transactionalId) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        conf.put(ProducerConfig.ACKS_CONFIG, "all");
        if (transactionalId != null) {
            conf.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            conf.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 60_000);
        }
        return conf;
    }

    /** Every record of the topic as key=value, read until the end offsets seen at the start. */
    private List<String> readAll(String topic, String isolationLevel, String groupId) {
        Map<String, Object> conf = new HashMap<>();
        conf.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        conf.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
        conf.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        conf.put(ConsumerConfig.GROUP_ID_CONFIG, groupId != null ? groupId : "reader-" + UUID.randomUUID());
        List<String> values = new ArrayList<>();
        try (var consumer = new KafkaConsumer<>(conf, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(Set.of(topic));
            // Read until the consumer's position passes every end offset (markers included).
            await("the end of " + topic).atMost(READ_TIMEOUT).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10)).until(() -> {
                        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                            values.add(r.key() + "=" + r.value());
                        }
                        var assigned = consumer.assignment();
                        var ends = consumer.endOffsets(assigned);
                        return !assigned.isEmpty() && assigned.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
                    });
            consumer.commitSync();
            return values;
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("did not reach the end of " + topic + " within " + READ_TIMEOUT + "; read " + values, e);
        }
    }

    private static int[] freePorts() throws IOException {
        try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return new int[] {a.getLocalPort(), b.getLocalPort()};
        }
    }
}
