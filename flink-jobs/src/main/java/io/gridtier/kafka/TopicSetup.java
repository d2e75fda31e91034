package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Makes sure the job's six topics exist with the right settings before it starts: creates the
 * missing ones with {@code kafka.partitions} and {@code kafka.replicationFactor},
 * {@code customer-segments} log-compacted (its latest segment per customer is the state consumers
 * rebuild from), and checks that an existing {@code customer-segments} is compacted. With
 * {@code kafka.createTopics=false} (a cluster where the job may not create topics) it only checks.
 * Topics are never created by hand: the job tooling and the tests call this.
 */
public final class TopicSetup {
    private static final long TIMEOUT_SECONDS = 60;

    private TopicSetup() {
    }

    /** What {@link #ensure} found and did. */
    public record Outcome(List<String> created, List<String> existing) {
    }

    public static Outcome ensure(JobConfig config, Properties client) throws InterruptedException {
        Map<String, Map<String, String>> wanted = new LinkedHashMap<>();
        for (String input : List.of(config.meterReadingsTopic(), config.customerProfilesTopic(), config.billingEventsTopic(),
                config.segmentAlertsTopic(), config.deadLettersTopic())) {
            wanted.put(input, Map.of());
        }
        wanted.put(config.customerSegmentsTopic(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        // keyed by version: compaction keeps every version ever pushed, and one partition keeps their order
        wanted.put(config.modelUpdatesTopic(), Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));

        try (Admin admin = Admin.create(KafkaClientProperties.with(client, "client.id", config.kafkaGroupId() + "-topic-setup"))) {
            Set<String> present = get(admin.listTopics().names(), "list the topics", config);
            List<String> created = new ArrayList<>();
            List<String> existing = new ArrayList<>();
            List<NewTopic> toCreate = new ArrayList<>();
            for (Map.Entry<String, Map<String, String>> e : wanted.entrySet()) {
                if (present.contains(e.getKey())) {
                    existing.add(e.getKey());
                } else {
                    int partitions = e.getKey().equals(config.modelUpdatesTopic()) ? 1 : config.kafkaPartitions();
                    toCreate.add(new NewTopic(e.getKey(), partitions, (short) config.kafkaReplicationFactor())
                            .configs(e.getValue()));
                }
            }
            if (!toCreate.isEmpty() && !config.kafkaCreateTopics()) {
                throw new InvalidConfigException("kafka.createTopics is false but topics "
                        + toCreate.stream().map(NewTopic::name).toList() + " do not exist on "
                        + config.kafkaBootstrapServers() + "; create them (customer-segments with cleanup.policy=compact)"
                        + " or set kafka.createTopics=true");
            }
            for (Map.Entry<String, KafkaFuture<Void>> f : admin.createTopics(toCreate).values().entrySet()) {
                try {
                    f.getValue().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                    created.add(f.getKey());
                } catch (ExecutionException ex) {
                    if (!(ex.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + f.getKey() + " on "
                                + config.kafkaBootstrapServers() + ": " + ex.getCause(), ex.getCause());
                    }
                    existing.add(f.getKey()); // created meanwhile by another instance
                } catch (TimeoutException ex) {
                    throw timeout("create topic " + f.getKey(), config);
                }
            }
            awaitReady(admin, created, config);
            checkCompacted(admin, config);
            return new Outcome(created, existing);
        }
    }

    /**
     * Waits until every partition of the new topics answers on its leader. The controller confirms a
     * topic before the broker has created its logs; a producer that writes in between can have its
     * first batch refused and a later one accepted, and then fails with OutOfOrderSequenceException.
     */
    private static void awaitReady(Admin admin, List<String> topics, JobConfig config) throws InterruptedException {
        if (topics.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                Map<String, TopicDescription> described = admin.describeTopics(topics).allTopicNames()
                        .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
                described.values().forEach(d -> d.partitions().forEach(p ->
                        partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
                admin.listOffsets(partitions).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("topics " + topics + " were created on " + config.kafkaBootstrapServers()
                            + " but their partitions did not become available: " + e.getCause(), e.getCause());
                }
                Thread.sleep(100);
            } catch (TimeoutException e) {
                throw timeout("see the partitions of " + topics + " come up", config);
            }
        }
    }

    private static void checkCompacted(Admin admin, JobConfig config) throws InterruptedException {
        ConfigResource segments = new ConfigResource(ConfigResource.Type.TOPIC, config.customerSegmentsTopic());
        Map<ConfigResource, Config> configs;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (true) {
            try {
                configs = admin.describeConfigs(List.of(segments)).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                break;
            } catch (ExecutionException e) {
                // a topic just created may not be known to every part of the broker yet
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("cannot describe topic " + segments.name() + " on "
                            + config.kafkaBootstrapServers() + ": " + e.getCause(), e.getCause());
                }
                Thread.sleep(100);
            } catch (TimeoutException e) {
                throw timeout("describe topic " + segments.name(), config);
            }
        }
        ConfigEntry policy = configs.get(segments).get(TopicConfig.CLEANUP_POLICY_CONFIG);
        String value = policy == null ? "" : policy.value();
        if (!Arrays.asList(value.split(",")).contains(TopicConfig.CLEANUP_POLICY_COMPACT)) {
            throw new IllegalStateException("topic " + segments.name() + " exists with cleanup.policy=" + value
                    + " but must be compacted (consumers rebuild each customer's latest segment from it): "
                    + "kafka-configs.sh --bootstrap-server " + config.kafkaBootstrapServers() + " --alter --entity-type topics"
                    + " --entity-name " + segments.name() + " --add-config cleanup.policy=compact");
        }
    }

    private static <T> T get(KafkaFuture<T> future, String what, JobConfig config) throws InterruptedException {
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot " + what + " on " + config.kafkaBootstrapServers() + ": " + e.getCause(),
                    e.getCause());
        } catch (TimeoutException e) {
            throw timeout(what, config);
        }
    }

    private static IllegalStateException timeout(String what, JobConfig config) {
        return new IllegalStateException("could not " + what + " on " + config.kafkaBootstrapServers() + " within "
                + TIMEOUT_SECONDS + " s: is the broker running and kafka.bootstrapServers right?");
    }
}
