package io.gridtier.ingest;

import org.apache.avro.specific.SpecificRecord;

/**
 * An input record as it came in, before decoding: where it came from and its original bytes, so that
 * a record that cannot be used reaches the dead-letter topic untouched. Flink POJO.
 */
public class RawRecord {
    /** Kafka topic, or the replay file's name. */
    public String sourceTopic;
    public int partition;
    /** Kafka offset, or the replay file's line number (1-based). */
    public long offset;
    public byte[] key;
    public byte[] value;
    /**
     * The record's event time when the source already knows it (Kafka: read from the record, for
     * per-partition watermarks), else Long.MIN_VALUE.
     */
    public long eventTime = Long.MIN_VALUE;
    /**
     * The value as the Kafka source decoded it to read its event time, so that the workflow's decoder
     * ({@code AvroTopicDecoder}, configured with the same topics) does not decode it a second time. Transient,
     * so not part of the Flink POJO: it survives only the chained hand-over from the source to the decoding
     * step (object reuse), and after any shuffle or restore it is null and the workflow decodes the bytes.
     */
    public transient SpecificRecord decoded;

    public RawRecord() {
    }

    public RawRecord(String sourceTopic, int partition, long offset, byte[] key, byte[] value) {
        this.sourceTopic = sourceTopic;
        this.partition = partition;
        this.offset = offset;
        this.key = key;
        this.value = value;
    }
}
