package io.gridtier.tierservice.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.tierservice.bench.SyntheticSegments;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AvroCodecTest {

    @Test
    void theFastHeadlineReadsWhatTheFullDecodingReads() {
        assertThat(AvroCodec.fastHeadlineInUse()).as("the compiled schema still has the expected field order").isTrue();
        Random r = new Random(3);
        for (int i = 0; i < 500; i++) {
            CustomerSegment s = SyntheticSegments.random(SyntheticSegments.customerId(i), r,
                    Instant.parse("2016-09-01T00:00:00Z").plusSeconds(i));
            byte[] bytes = AvroCodec.encode(s);
            AvroCodec.Headline fast = AvroCodec.fastHeadline(bytes);
            assertThat(fast).isEqualTo(AvroCodec.decodedHeadline(bytes));
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

    /** A string length of 2,147,483,632 bytes followed by three: Avro's own decoder would allocate 2 GB. */
    static final byte[] HUGE_LENGTH = {(byte) 0xE0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a', 'b', 'c'};

    @Test
    void aClaimedLengthOfTwoGigabytesIsMalformedWithoutBeingAllocated() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        List<Runnable> decoders = List.of(() -> AvroCodec.fastHeadline(HUGE_LENGTH), () -> AvroCodec.decodedHeadline(HUGE_LENGTH),
                () -> AvroCodec.decodeSegment(HUGE_LENGTH), () -> AvroCodec.decodeAlert(HUGE_LENGTH));
        for (Runnable decode : decoders) {
            assertThatThrownBy(decode::run).isInstanceOf(AvroCodec.MalformedRecordException.class)
                    .hasMessageContaining("2147483632").hasMessageNotContaining("abc");
        }
        assertThat(mx.getCurrentThreadAllocatedBytes() - before).as("bytes allocated").isLessThan(16L << 20);
    }

    @Test
    void everyTruncationOfASegmentOrAnAlertIsMalformed() {
        CustomerSegment s = SyntheticSegments.random("C1", new Random(5), Instant.parse("2016-09-01T00:00:00Z"));
        byte[] segment = AvroCodec.encode(s);
        byte[] alert = AvroCodec.encode(SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT"));
        for (int n = 0; n < segment.length; n++) {
            byte[] cut = Arrays.copyOf(segment, n);
            assertThatThrownBy(() -> AvroCodec.fastHeadline(cut)).as("%d bytes", n).isInstanceOf(AvroCodec.MalformedRecordException.class);
            assertThatThrownBy(() -> AvroCodec.decodeSegment(cut)).as("%d bytes", n).isInstanceOf(AvroCodec.MalformedRecordException.class);
        }
        for (int n = 0; n < alert.length; n++) {
            byte[] cut = Arrays.copyOf(alert, n);
            assertThatThrownBy(() -> AvroCodec.decodeAlert(cut)).as("%d bytes", n).isInstanceOf(AvroCodec.MalformedRecordException.class);
        }
    }

    /**
     * Corrupted segments either decode or are malformed, never anything else, and the fast walk the ingestor
     * files a segment by accepts exactly what the full decoding that answers lookups accepts: a segment filed is
     * one that can be served.
     */
    @Test
    void theFastWalkAcceptsExactlyWhatTheFullDecodingAccepts() {
        Random r = new Random(9);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] bytes = AvroCodec.encode(SyntheticSegments.random(SyntheticSegments.customerId(i), r,
                    Instant.parse("2016-09-01T00:00:00Z")));
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                bytes[r.nextInt(bytes.length)] = (byte) r.nextInt(256);
            }
            boolean fast = decodes(bytes, AvroCodec::fastHeadline);
            assertThat(decodes(bytes, AvroCodec::decodeSegment)).as("corruption %d", i).isEqualTo(fast);
            assertThat(decodes(bytes, AvroCodec::decodedHeadline)).as("corruption %d", i).isEqualTo(fast);
            accepted += fast ? 1 : 0;
        }
        assertThat(accepted).as("some corruptions still decode (a changed score), some do not").isBetween(100, 2900);
    }

    private static boolean decodes(byte[] bytes, java.util.function.Function<byte[], ?> decoder) {
        try {
            decoder.apply(bytes);
            return true;
        } catch (AvroCodec.MalformedRecordException e) {
            return false;
        }
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
