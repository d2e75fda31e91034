package io.gridtier.ingest;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/**
 * Turns a record of the model-updates control stream into its {@link ModelUpdate}: Avro binary on the
 * Kafka topic ({@code io.gridtier.kafka.ModelUpdateTopicDecoder}), a JSON line of type {@code ModelUpdate}
 * in a replay's {@code --model-updates} file. Throws nothing but {@link BadRecordException}.
 */
@FunctionalInterface
public interface ModelUpdateDecoder extends Serializable {
    ModelUpdate decode(RawRecord raw) throws BadRecordException;

    /** The replay's JSON lines. */
    static ModelUpdateDecoder jsonLine(ZoneId zone) {
        String zoneId = zone.getId();
        return new ModelUpdateDecoder() {
            private static final long serialVersionUID = 1L;
            private transient JsonLineCodec codec;

            @Override
            public ModelUpdate decode(RawRecord raw) throws BadRecordException {
                if (codec == null) {
                    codec = new JsonLineCodec(ZoneId.of(zoneId));
                }
                if (codec.decode(new String(raw.value, StandardCharsets.UTF_8)) instanceof ModelUpdate update) {
                    return update;
                }
                throw new BadRecordException(DeadLetterReason.UNKNOWN_TYPE, "a model-updates file holds only lines "
                        + "of type ModelUpdate");
            }
        };
    }
}
