package io.gridtier.kafka;

import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.apache.flink.util.InstantiationUtil;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AvroTopicSerializerTest {
    @Test
    void deadLettersKeepTheOriginalKeyAndBytes() throws Exception {
        byte[] key = {1, 2, 3};
        DeadLetter d = DeadLetter.newBuilder().setSourceTopic("meter-readings").setPartition(1).setOffset(7)
                .setKey(ByteBuffer.wrap(key)).setValue(ByteBuffer.wrap(AvroTopicDecoderTest.GARBAGE))
                .setReason(DeadLetterReason.UNPARSEABLE).setDetail("x").setFailedAt(Instant.ofEpochMilli(5)).build();
        AvroTopicSerializer<DeadLetter> serializer = InstantiationUtil.clone(AvroTopicSerializer.deadLetters("dlq"));

        ProducerRecord<byte[], byte[]> r = serializer.serialize(d, null, 123L);

        assertThat(r.topic()).isEqualTo("dlq");
        assertThat(r.key()).isEqualTo(key);
        assertThat(r.partition()).as("Kafka's partitioner decides, by key").isNull();
        assertThat(r.timestamp()).as("the producer's clock, not event time").isNull();
        DeadLetter back = new AvroBinary<>(DeadLetter.class).decode(r.value());
        assertThat(back).isEqualTo(d);
        assertThat(back.getValue().array()).isEqualTo(AvroTopicDecoderTest.GARBAGE);
    }

    @Test
    void aDeadLetterWithoutKeyHasNoKey() {
        DeadLetter d = DeadLetter.newBuilder().setSourceTopic("t").setPartition(0).setOffset(0).setKey(null).setValue(null)
                .setReason(DeadLetterReason.UNPARSEABLE).setDetail("x").setFailedAt(Instant.EPOCH).build();
        assertThat(AvroTopicSerializer.deadLetters("dlq").serialize(d, null, null).key()).isNull();
    }

    @Test
    void segmentsAndAlertsAreKeyedByCustomer() throws Exception {
        CustomerSegment segment = CustomerSegment.newBuilder().setCustomerId("C-7").setCategory(CustomerCategory.RESIDENTIAL)
                .setValueTier(ValueTier.STANDARD).setValueScore(40.5).setPotentialKeyAccount(false).setChurnRisk(ChurnRisk.LOW)
                .setChurnScore(3).setCreditRating(CreditRating.A).setCreditScore(100)
                .setFactors(List.of(new Factor(ScoreKind.VALUE, "annualConsumption", 2500.0, 40.5, "2,500 kWh a year")))
                .setRecommendedActions(List.of("Standard")).setTierSince(Instant.ofEpochMilli(1)).setModelVersion("m")
                .setAsOf(Instant.ofEpochMilli(2)).build();
        SegmentAlert alert = SegmentAlert.newBuilder().setAlertId("a-1").setCustomerId("C-7").setType(AlertType.CREDIT_DOWNGRADED)
                .setPrevious("A").setCurrent("B").setSegment(segment).setRecommendedAction("remind").setModelVersion("m")
                .setEventTime(Instant.ofEpochMilli(2)).build();

        ProducerRecord<byte[], byte[]> s = AvroTopicSerializer.segments("seg").serialize(segment, null, null);
        ProducerRecord<byte[], byte[]> a = AvroTopicSerializer.alerts("alr").serialize(alert, null, null);

        assertThat(s.topic()).isEqualTo("seg");
        assertThat(new String(s.key(), StandardCharsets.UTF_8)).isEqualTo("C-7");
        assertThat(new AvroBinary<>(CustomerSegment.class).decode(s.value())).isEqualTo(segment);
        assertThat(a.topic()).isEqualTo("alr");
        assertThat(new String(a.key(), StandardCharsets.UTF_8)).isEqualTo("C-7");
        assertThat(new AvroBinary<>(SegmentAlert.class).decode(a.value())).isEqualTo(alert);
    }
}
