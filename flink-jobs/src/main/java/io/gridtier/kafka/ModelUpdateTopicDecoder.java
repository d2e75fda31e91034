package io.gridtier.kafka;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;

/** The model-updates topic's wire format: a {@link ModelUpdate} in plain Avro binary, like every GridTier topic. */
public final class ModelUpdateTopicDecoder implements ModelUpdateDecoder {
    private static final long serialVersionUID = 1L;
    private transient AvroBinary<ModelUpdate> binary;

    @Override
    public ModelUpdate decode(RawRecord raw) throws BadRecordException {
        if (raw.value == null) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "no value (a tombstone), expected a ModelUpdate");
        }
        if (binary == null) {
            binary = new AvroBinary<>(ModelUpdate.class);
        }
        try {
            return binary.decode(raw.value);
        } catch (Exception e) {
            throw new BadRecordException(DeadLetterReason.UNPARSEABLE, "not a ModelUpdate in Avro binary ("
                    + raw.value.length + " bytes): " + e);
        }
    }
}
