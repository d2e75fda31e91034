package io.gridtier.kafka;

import io.gridtier.format.BadRecordException;
import io.gridtier.ingest.RawRecord;
import io.gridtier.model.ModelTimeline;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The model-updates topic's records, decoded with the same checks and messages as the input topics'. */
class ModelUpdateTopicDecoderTest {
    private static final ModelUpdate UPDATE = new ModelUpdate("v2", "version: v2", Instant.EPOCH, "t", Instant.EPOCH,
            ModelTimeline.checksum("version: v2"));

    private static RawRecord raw(byte[] value) {
        return new RawRecord("model-updates", 0, 7, null, value);
    }

    @Test
    void decodesAnUpdateAndNamesWhatIsWrongWithAnythingElse() throws Exception {
        byte[] bytes = new AvroBinary<>(ModelUpdate.class).encode(UPDATE);
        ModelUpdateTopicDecoder decoder = new ModelUpdateTopicDecoder();
        assertThat(decoder.decode(raw(bytes))).isEqualTo(UPDATE);

        BadRecordException tombstone = catchThrowableOfType(BadRecordException.class, () -> decoder.decode(raw(null)));
        assertThat(tombstone.reason()).isEqualTo(DeadLetterReason.UNPARSEABLE);
        assertThat(tombstone.getMessage()).contains("tombstone").contains("ModelUpdate");
        BadRecordException cut = catchThrowableOfType(BadRecordException.class,
                () -> decoder.decode(raw(Arrays.copyOf(bytes, bytes.length - 5))));
        assertThat(cut.getMessage()).contains("not a ModelUpdate in Avro binary").contains("truncated");
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertThat(catchThrowableOfType(BadRecordException.class, () -> decoder.decode(raw(longer))).getMessage())
                .contains("a record of another schema?");
    }
}
