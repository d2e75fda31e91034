package io.gridtier.kafka;

import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes an output record to its topic as Avro binary, keyed so that Kafka's default partitioner
 * puts a customer's records in one partition (and compaction keeps its latest segment). The record
 * timestamp is left to the producer (the wall clock): event times of a backfill lie years back and
 * would make the broker's time-based retention delete the records at once.
 *
 * @param <T> the output record class
 */
public final class AvroTopicSerializer<T extends SpecificRecord> implements KafkaRecordSerializationSchema<T> {
    private static final long serialVersionUID = 1L;

    /** The Kafka key of an output record. */
    @FunctionalInterface
    public interface KeyOf<T> extends Serializable {
        byte[] key(T record);
    }

    private final String topic;
    private final Class<T> type;
    private final KeyOf<T> keyOf;
    private transient AvroBinary<T> binary;

    public AvroTopicSerializer(String topic, Class<T> type, KeyOf<T> keyOf) {
        this.topic = topic;
        this.type = type;
        this.keyOf = keyOf;
    }

    /** customer-segments: key = customerId. */
    public static AvroTopicSerializer<CustomerSegment> segments(String topic) {
        return new AvroTopicSerializer<>(topic, CustomerSegment.class, s -> utf8(s.getCustomerId()));
    }

    /** segment-alerts: key = customerId. */
    public static AvroTopicSerializer<SegmentAlert> alerts(String topic) {
        return new AvroTopicSerializer<>(topic, SegmentAlert.class, a -> utf8(a.getCustomerId()));
    }

    /** segmentation-dead-letters: key = the original record's key bytes, untouched (null stays null). */
    public static AvroTopicSerializer<DeadLetter> deadLetters(String topic) {
        return new AvroTopicSerializer<>(topic, DeadLetter.class, d -> bytes(d.getKey()));
    }

    @Override
    public void open(SerializationSchema.InitializationContext context, KafkaSinkContext sinkContext) {
        binary = new AvroBinary<>(type);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T record, KafkaSinkContext context, Long timestamp) {
        if (binary == null) {
            binary = new AvroBinary<>(type);
        }
        return new ProducerRecord<>(topic, null, null, keyOf.key(record), binary.encode(record));
    }

    private static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] bytes(ByteBuffer b) {
        if (b == null) {
            return null;
        }
        ByteBuffer copy = b.duplicate();
        byte[] out = new byte[copy.remaining()];
        copy.get(out);
        return out;
    }
}
