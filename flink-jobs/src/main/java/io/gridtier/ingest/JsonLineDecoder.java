package io.gridtier.ingest;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import org.apache.avro.specific.SpecificRecord;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;

/** Decodes one line of the JSON-lines replay format. */
public final class JsonLineDecoder implements RecordDecoder {
    private static final long serialVersionUID = 1L;
    private final String zone;
    private transient JsonLineCodec codec;

    public JsonLineDecoder(ZoneId zone) {
        this.zone = zone.getId();
    }

    @Override
    public SpecificRecord decode(RawRecord raw) throws BadRecordException {
        if (codec == null) {
            codec = new JsonLineCodec(ZoneId.of(zone));
        }
        return codec.decode(new String(raw.value, StandardCharsets.UTF_8));
    }
}
