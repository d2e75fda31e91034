package io.gridtier.modelops;

import io.gridtier.config.JobConfig;
import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.ModelUpdateTopicDecoder;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.ModelTimeline;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.ModelUpdate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * The model-updates topic as the job reads it: every record from the beginning, judged by the same rules in
 * the same order ({@link ModelTimeline}), so that {@code gridtier model list} shows what the job holds and
 * {@code gridtier model push} refuses before sending what the job would refuse.
 */
public final class ModelUpdatesLog {
    /** One record of the topic and what the job makes of it. */
    public record Judged(int partition, long offset, ModelUpdate update, String outcome, String detail) {
    }

    /** The timeline the records build, and each record's verdict. */
    public record Reading(ModelTimeline timeline, List<Judged> records) {
    }

    private ModelUpdatesLog() {
    }

    /** Reads the whole topic (none if it does not exist yet) and replays it onto the start-up model. */
    public static Reading read(JobConfig config, Properties client, SegmentationModel initial) {
        ModelTimeline timeline = new ModelTimeline(initial, config.zone());
        List<Judged> judged = new ArrayList<>();
        Properties p = KafkaClientProperties.with(client, "isolation.level", "read_committed",
                "client.id", config.kafkaGroupId() + "-model-list", "enable.auto.commit", "false",
                "allow.auto.create.topics", "false");
        ModelUpdateTopicDecoder decoder = new ModelUpdateTopicDecoder();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(config.modelUpdatesTopic(), Duration.ofSeconds(30));
            if (infos == null || infos.isEmpty()) {
                return new Reading(timeline, judged);
            }
            List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + config.modelUpdatesTopic() + " to its end within 60 s");
                }
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    judged.add(judge(timeline, decoder, r));
                }
            }
        }
        return new Reading(timeline, judged);
    }

    private static Judged judge(ModelTimeline timeline, ModelUpdateTopicDecoder decoder, ConsumerRecord<byte[], byte[]> r) {
        ModelUpdate update;
        try {
            update = decoder.decode(new RawRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
        } catch (BadRecordException e) {
            return new Judged(r.partition(), r.offset(), null, "unreadable", e.getMessage());
        }
        ModelTimeline.Offer offer = timeline.offer(update);
        return new Judged(r.partition(), r.offset(), update, offer.outcome().name().toLowerCase(java.util.Locale.ROOT),
                offer.detail());
    }

    /** Sends one update (key: its version), waiting for the broker's acknowledgement. */
    public static RecordMetadata push(JobConfig config, Properties client, ModelUpdate update) throws Exception {
        Properties p = KafkaClientProperties.with(client, "acks", "all", "enable.idempotence", "true",
                "client.id", config.kafkaGroupId() + "-model-push");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(config.modelUpdatesTopic(), update.getVersion().getBytes(StandardCharsets.UTF_8),
                    new AvroBinary<>(ModelUpdate.class).encode(update))).get(60, TimeUnit.SECONDS);
        }
    }

    /** Validates a model file's text as the job will, and wraps it in an update. */
    public static ModelUpdate updateOf(String text, String origin, Instant from, String pushedBy, ZoneId zone) {
        String version = ModelConfig.parse(text, origin).version();
        ModelUpdate update = new ModelUpdate(version, text, from, pushedBy, Instant.now(), ModelTimeline.checksum(text));
        ModelTimeline.validate(update, zone);
        return update;
    }
}
