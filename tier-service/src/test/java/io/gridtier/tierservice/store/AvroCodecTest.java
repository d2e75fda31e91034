package io.gridtier.tierservice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.tierservice.bench.SyntheticSegments;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {

    @Test
    void theFastHeadlineReadsWhatTheSchemaProjectionReads() {
        assertThat(AvroCodec.fastHeadlineInUse()).as("the compiled schema still has the expected field order").isTrue();
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            CustomerSegment s = SyntheticSegments.random(SyntheticSegments.customerId(i), r,
                    Instant.parse("2016-09-01T00:00:00Z").plusSeconds(i));
            byte[] bytes = AvroCodec.encode(s);
            AvroCodec.Headline fast = AvroCodec.fastHeadline(bytes);
            assertThat(fast).isEqualTo(AvroCodec.projectedHeadline(bytes));
            assertThat(fast.customerId()).isEqualTo(s.getCustomerId());
            assertThat(fast.tier()).isEqualTo(TierKey.of(s));
            assertThat(fast.asOfMillis()).isEqualTo(s.getAsOf().toEpochMilli());
            assertThat(fast.modelVersion()).isEqualTo(s.getModelVersion());
        }
    }

    @Test
    void garbageIsAMalformedRecord() {
        assertThatThrownBy(() -> AvroCodec.decodeHeadline(new byte[] {(byte) 0xff, 1, 2}))
                .isInstanceOf(AvroCodec.MalformedRecordException.class);
        assertThatThrownBy(() -> AvroCodec.decodeSegment(new byte[] {(byte) 0xff, 1, 2}))
                .isInstanceOf(AvroCodec.MalformedRecordException.class);
    }

    @Test
    void historyEntriesAreWrittenAsJacksonWouldWriteThemAndReadBack() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<HistoryEntry> entries = List.of(
                HistoryEntry.segmentChange(true, 1L, new TierKey(io.gridtier.schema.ValueTier.STANDARD,
                        io.gridtier.schema.ChurnRisk.LOW, false, io.gridtier.schema.CreditRating.A).changesSince(null), "m-1"),
                HistoryEntry.segmentChange(false, -5L, List.of(new HistoryEntry.Change("valueTier", "STANDARD", "KEY_ACCOUNT")), "m"),
                HistoryEntry.alert(1_472_688_000_000L, "C1:KEY\"ENTERED", "KEY_ACCOUNT_ENTERED", "HIGH_VALUE", "KEY_ACCOUNT",
                        "Quote \" backslash \\ newline \n tab \t 中文 é", "gridtier-model-1.0"));
        for (HistoryEntry e : entries) {
            assertThat(new String(e.toJson(), "UTF-8")).isEqualTo(json.writeValueAsString(e));
            assertThat(json.readValue(e.toJson(), HistoryEntry.class)).isEqualTo(e);
        }
    }
}
