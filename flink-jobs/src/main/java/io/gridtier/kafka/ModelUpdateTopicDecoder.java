package io.gridtier.kafka;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.ModelUpdate;

/** The model-updates topic's wire format: a {@link ModelUpdate} in plain Avro binary, like every GridTier topic. */
public final class ModelUpdateTopicDecoder implements ModelUpdateDecoder {
    private static final long serialVersionUID = 1L;
    private transient AvroBinary<ModelUpdate> binary;

    @Override
    public ModelUpdate decode(RawRecord raw) throws BadRecordException {
        if (binary == null) {
            binary = new AvroBinary<>(ModelUpdate.class);
        }
        return AvroTopicDecoder.decode(binary, raw.value); // the input topics' checks and messages
    }
}
