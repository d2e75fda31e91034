package io.gridtier.ingest;

import io.gridtier.format.BadRecordException;
import org.apache.avro.specific.SpecificRecord;

import java.io.Serializable;

/** Turns a raw input record's bytes into its Avro record (JSON lines for replay, Avro binary on Kafka). */
@FunctionalInterface
public interface RecordDecoder extends Serializable {
    SpecificRecord decode(RawRecord raw) throws BadRecordException;
}
