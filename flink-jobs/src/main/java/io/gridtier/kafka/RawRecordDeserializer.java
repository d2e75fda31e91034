package io.gridtier.kafka;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Duration;
import java.time.Instant;

/**
 * Keeps a Kafka record as it came: topic, partition, offset, key and value bytes untouched. Decoding
 * for the job happens in the workflow ({@link AvroTopicDecoder}), so that a record that cannot be
 * used becomes a dead letter with its original bytes instead of failing the source. Here the
 * record's event time is only read, so that the source can keep a watermark per partition: a
 * lagging partition then holds the watermark back instead of having its records judged late. A
 * record whose time cannot be read, or lies beyond the wall clock plus the tolerance, gets none
 * (it must not move the watermark; the workflow dead-letters it). The decoded value travels on with the
 * record ({@link RawRecord#decoded}), so each record is decoded once.
 */
public final class RawRecordDeserializer implements KafkaRecordDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;
    private static final String[] TIME_FIELDS = {"intervalEnd", "updatedAt", "issuedAt", "paidAt"};

    private final AvroTopicDecoder decoder;
    private final long futureToleranceMs;

    /** The control topic's records: kept raw, with no event time (they never move the watermark). */
    public static RawRecordDeserializer withoutEventTime() {
        return new RawRecordDeserializer(null, Duration.ZERO);
    }

    public RawRecordDeserializer(AvroTopicDecoder decoder, Duration futureTolerance) {
        this.decoder = decoder;
        this.futureToleranceMs = futureTolerance.toMillis();
    }

    @Override
    public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<RawRecord> out) {
        RawRecord raw = new RawRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value());
        raw.eventTime = decoder == null ? Long.MIN_VALUE : eventTime(raw);
        out.collect(raw);
    }

    private long eventTime(RawRecord raw) {
        try {
            SpecificRecord r = decoder.decode(raw);
            raw.decoded = r; // decoded once: the workflow's decoder takes it from here
            Schema schema = r.getSchema();
            for (String name : TIME_FIELDS) {
                Schema.Field f = schema.getField(name);
                if (f != null && r.get(f.pos()) instanceof Instant t) {
                    long millis = t.toEpochMilli();
                    return millis > System.currentTimeMillis() + futureToleranceMs ? Long.MIN_VALUE : millis;
                }
            }
        } catch (BadRecordException | RuntimeException e) {
            // not decodable: no event time; the workflow turns it into a dead letter
        }
        return Long.MIN_VALUE;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
