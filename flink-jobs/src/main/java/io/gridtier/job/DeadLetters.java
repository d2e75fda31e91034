package io.gridtier.job;

import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;

import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds the dead letter of a raw input record: where it came from, its untouched bytes, and why. */
final class DeadLetters {
    private DeadLetters() {
    }

    static DeadLetter of(RawRecord raw, DeadLetterReason reason, String detail, long now) {
        return DeadLetter.newBuilder()
                .setSourceTopic(raw.sourceTopic)
                .setPartition(raw.partition)
                .setOffset(raw.offset)
                .setKey(raw.key == null ? null : ByteBuffer.wrap(raw.key))
                .setValue(raw.value == null ? null : ByteBuffer.wrap(raw.value))
                .setReason(reason)
                .setDetail(detail)
                .setFailedAt(Instant.ofEpochMilli(now))
                .build();
    }
}
