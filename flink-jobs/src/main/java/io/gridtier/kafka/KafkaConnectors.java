package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.connector.kafka.sink.KafkaSinkBuilder;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The job's Kafka source and its three exactly-once sinks, built from the configuration and the
 * shared client settings ({@link KafkaClientProperties}).
 */
public final class KafkaConnectors {
    private KafkaConnectors() {
    }

    public static List<String> inputTopics(JobConfig config) {
        return List.of(config.meterReadingsTopic(), config.customerProfilesTopic(), config.billingEventsTopic());
    }

    /**
     * One source over the three input topics, keeping records raw. It starts from the group's
     * committed offsets (the earliest where there are none), commits at completed checkpoints, and
     * reads only committed transactions; after a failure it resumes from the checkpoint's offsets.
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: the connector's API still takes it
    public static KafkaSource<RawRecord> source(JobConfig config, Properties client) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder();
        client.stringPropertyNames().forEach(name -> b.setProperty(name, client.getProperty(name)));
        return b.setBootstrapServers(config.kafkaBootstrapServers())
                .setTopics(inputTopics(config))
                .setGroupId(config.kafkaGroupId())
                .setClientIdPrefix(config.kafkaGroupId())
                .setStartingOffsets(OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST))
                .setDeserializer(new RawRecordDeserializer(AvroTopicDecoder.of(config), config.futureTolerance()))
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    /**
     * The model-updates control topic, read whole: from its earliest offset when the job starts without a
     * checkpoint (the topic is the log of every version pushed, compacted by version), else from the
     * checkpoint's offsets, next to the broadcast state that holds the versions accepted so far.
     */
    @SuppressWarnings("deprecation") // OffsetResetStrategy: see source()
    public static KafkaSource<RawRecord> modelUpdatesSource(JobConfig config, Properties client) {
        KafkaSourceBuilder<RawRecord> b = KafkaSource.<RawRecord>builder();
        client.stringPropertyNames().forEach(name -> b.setProperty(name, client.getProperty(name)));
        return b.setBootstrapServers(config.kafkaBootstrapServers())
                .setTopics(config.modelUpdatesTopic())
                .setGroupId(config.kafkaGroupId() + "-model-updates")
                .setClientIdPrefix(config.kafkaGroupId() + "-model-updates")
                .setStartingOffsets(OffsetsInitializer.earliest())
                .setDeserializer(RawRecordDeserializer.withoutEventTime())
                .setProperty("isolation.level", "read_committed")
                .setProperty("commit.offsets.on.checkpoint", "true")
                .build();
    }

    public static KafkaSink<CustomerSegment> segmentsSink(JobConfig config, Properties client) {
        return sink(config, client, AvroTopicSerializer.segments(config.customerSegmentsTopic()), "segments");
    }

    public static KafkaSink<SegmentAlert> alertsSink(JobConfig config, Properties client) {
        return sink(config, client, AvroTopicSerializer.alerts(config.segmentAlertsTopic()), "alerts");
    }

    public static KafkaSink<DeadLetter> deadLettersSink(JobConfig config, Properties client) {
        return sink(config, client, AvroTopicSerializer.deadLetters(config.deadLettersTopic()), "dead-letters");
    }

    /**
     * An exactly-once sink: records are written in a Kafka transaction committed when the checkpoint
     * that covers them completes, so read_committed consumers see each output once even across
     * failures. Each sink has its own transactional-id prefix (the job's prefix plus the output).
     */
    static <T extends SpecificRecord> KafkaSink<T> sink(JobConfig config, Properties client, AvroTopicSerializer<T> serializer,
                                                        String output) {
        KafkaSinkBuilder<T> b = KafkaSink.<T>builder();
        client.stringPropertyNames().forEach(name -> b.setProperty(name, client.getProperty(name)));
        return b.setBootstrapServers(config.kafkaBootstrapServers())
                .setRecordSerializer(serializer)
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                .setTransactionalIdPrefix(transactionalIdPrefix(config, output))
                .setProperty("transaction.timeout.ms", String.valueOf(config.kafkaTransactionTimeout().toMillis()))
                .build();
    }

    static String transactionalIdPrefix(JobConfig config, String output) {
        return config.kafkaTransactionalIdPrefix() + "-" + output;
    }

    /**
     * A consumer of the job's three output topics (segments, alerts, dead letters), reading what is
     * committed ({@code read_committed}) from the beginning, without a group: for tools that watch
     * the outputs (the live demo's summary, the end-to-end benchmark, the Kafka tests).
     */
    public static KafkaConsumer<byte[], byte[]> outputReader(JobConfig config, Properties client, String clientId,
                                                             int maxPollRecords) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaClientProperties.with(client,
                "isolation.level", "read_committed", "enable.auto.commit", "false", "client.id", clientId,
                "max.poll.records", String.valueOf(maxPollRecords)), new ByteArrayDeserializer(), new ByteArrayDeserializer());
        try {
            List<TopicPartition> parts = outputPartitions(config, c);
            c.assign(parts);
            c.seekToBeginning(parts);
            return c;
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /** Every partition of the job's three output topics (segments, alerts, dead letters), as the broker lists them. */
    public static List<TopicPartition> outputPartitions(JobConfig config, Consumer<?, ?> c) {
        List<TopicPartition> parts = new ArrayList<>();
        for (String topic : List.of(config.customerSegmentsTopic(), config.segmentAlertsTopic(), config.deadLettersTopic())) {
            for (PartitionInfo info : c.partitionsFor(topic, Duration.ofSeconds(60))) {
                parts.add(new TopicPartition(topic, info.partition()));
            }
        }
        return parts;
    }
}
