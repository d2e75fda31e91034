package io.gridtier.ingest;

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
