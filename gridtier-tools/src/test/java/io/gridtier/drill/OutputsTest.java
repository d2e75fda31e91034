package io.gridtier.drill;

import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The drill's reading of the dead-letter topic: one input record dead-lettered twice is an exactly-once failure. */
class OutputsTest {
    @Test
    void theSameInputRecordDeadLetteredTwiceIsCountedAndSpoilsTheMatch() {
        Outputs expected = new Outputs();
        expected.onDeadLetter(deadLetter("events.jsonl", 0, 7), 0);
        expected.onDeadLetter(deadLetter("events.jsonl", 0, 9), 0);

        Outputs read = new Outputs();
        read.onDeadLetter(deadLetter("meter-readings", 3, 9554), 1);
        read.onDeadLetter(deadLetter("meter-readings", 5, 9554), 2); // another partition: another record
        assertThat(read.deadLettersTwice.get()).isZero();
        assertThat(read.matches(expected)).isTrue();

        read.onDeadLetter(deadLetter("meter-readings", 3, 9554), 3);
        assertThat(read.deadLettersTwice.get()).isEqualTo(1);
        assertThat(read.matches(expected)).as("three dead letters against two").isFalse();
    }

    private static DeadLetter deadLetter(String source, int partition, long offset) {
        return DeadLetter.newBuilder().setSourceTopic(source).setPartition(partition).setOffset(offset)
                .setReason(DeadLetterReason.UNPARSEABLE).setDetail("not Avro").setFailedAt(Instant.EPOCH).build();
    }
}
