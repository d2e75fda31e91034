package io.gridtier.kafka;

import io.gridtier.ingest.RawRecord;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The source reads each record's event time (for per-partition watermarks) and keeps its bytes. */
class RawRecordDeserializerTest {
    private final RawRecordDeserializer deserializer = new RawRecordDeserializer(new AvroTopicDecoder(), Duration.ofHours(1));

    private RawRecord read(String topic, byte[] value) throws Exception {
        List<RawRecord> out = new ArrayList<>();
        deserializer.deserialize(new ConsumerRecord<>(topic, 3, 42L, "C1".getBytes(StandardCharsets.UTF_8), value),
                new Collector<>() {
                    @Override
                    public void collect(RawRecord r) {
                        out.add(r);
                    }

                    @Override
                    public void close() {
                    }
                });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    private static byte[] reading(Instant end) {
        return new AvroBinary<>(MeterReading.class).encode(MeterReading.newBuilder().setReadingId("R1").setCustomerId("C1")
                .setMeterId("M1").setIntervalEnd(end).setIntervalMinutes(15).setKwh(1.0).setQuality(ReadingQuality.ACTUAL)
                .build());
    }

    @Test
    void aReadingCarriesItsIntervalEndAsEventTimeAndItsBytesUntouched() throws Exception {
        Instant end = Instant.parse("2024-03-01T00:15:00Z");
        byte[] value = reading(end);
        RawRecord r = read("meter-readings", value);
        assertThat(r.eventTime).isEqualTo(end.toEpochMilli());
        assertThat(r.value).isEqualTo(value);
        assertThat(r.partition).isEqualTo(3);
        assertThat(r.offset).isEqualTo(42L);
    }

    @Test
    void aRecordThatCannotBeReadOrIsFromTheFutureMovesNoWatermark() throws Exception {
        assertThat(read("meter-readings", new byte[] {1, 2, 3}).eventTime).isEqualTo(Long.MIN_VALUE);
        assertThat(read("meter-readings", reading(Instant.now().plus(Duration.ofDays(2)))).eventTime)
                .isEqualTo(Long.MIN_VALUE);
        assertThat(read("no-such-topic", reading(Instant.parse("2024-03-01T00:15:00Z"))).eventTime)
                .isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void theRecordIsDecodedOnceTheWorkflowsDecoderTakesTheSourcesValue() throws Exception {
        RawRecord r = read("meter-readings", reading(Instant.parse("2024-03-01T00:15:00Z")));
        assertThat(r.decoded).isInstanceOf(MeterReading.class);
        assertThat(new AvroTopicDecoder().decode(r)).isSameAs(r.decoded);

        // the bytes stay the truth: a copy without the decoded value (after a shuffle) decodes to an equal value
        RawRecord shuffled = new RawRecord(r.sourceTopic, r.partition, r.offset, r.key, r.value);
        assertThat(new AvroTopicDecoder().decode(shuffled)).isEqualTo(r.decoded);
        assertThat(read("meter-readings", new byte[] {1, 2, 3}).decoded).isNull();
    }

    @Test
    void theDecodedValueIsNotPartOfTheFlinkPojo() {
        org.apache.flink.api.common.typeinfo.TypeInformation<RawRecord> type =
                org.apache.flink.api.common.typeinfo.TypeInformation.of(RawRecord.class);
        assertThat(type).isInstanceOf(org.apache.flink.api.java.typeutils.PojoTypeInfo.class);
        assertThat(((org.apache.flink.api.java.typeutils.PojoTypeInfo<RawRecord>) type).getFieldIndex("decoded")).isEqualTo(-1);
    }
}
