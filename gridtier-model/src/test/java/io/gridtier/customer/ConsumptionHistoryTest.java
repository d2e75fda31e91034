package io.gridtier.customer;

import io.gridtier.schema.ReadingQuality;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class ConsumptionHistoryTest {

    @Test
    void keepsExactlyTheLastDaysOfTheRing() {
        ConsumptionHistory h = new ConsumptionHistory();
        for (int d = 1000; d < 1000 + 2 * ConsumptionHistory.DAYS; d++) {
            h.addDay(d, d);
        }
        int latest = 1000 + 2 * ConsumptionHistory.DAYS - 1;
        assertThat(h.kwhOn(latest)).isEqualTo(latest);
        assertThat(h.kwhOn(latest - ConsumptionHistory.DAYS + 1)).isEqualTo(latest - ConsumptionHistory.DAYS + 1);
        assertThat(h.kwhOn(latest - ConsumptionHistory.DAYS)).isZero();
        assertThat(h.accepts(latest - ConsumptionHistory.DAYS)).isFalse();
        assertThat(h.accepts(latest - ConsumptionHistory.DAYS + 1)).isTrue();
    }

    @Test
    void aJumpForwardClearsTheSkippedDays() {
        ConsumptionHistory h = new ConsumptionHistory();
        h.addDay(100, 5);
        h.addDay(101, 5);
        h.addDay(100 + ConsumptionHistory.DAYS + 1, 7); // 100 and 101 fall out of the ring
        assertThat(h.kwhOn(100)).isZero();
        assertThat(h.kwhOn(101)).isZero();
        assertThat(h.hasReadingOn(101)).isFalse();
        assertThat(h.lastReadingDayAtOrBefore(100 + ConsumptionHistory.DAYS)).isEqualTo(Integer.MIN_VALUE);
    }

    @Test
    void zeroReadingStillCountsAsARead() {
        ConsumptionHistory h = new ConsumptionHistory();
        h.addDay(500, 0);
        assertThat(h.hasReadingOn(500)).isTrue();
        assertThat(h.lastReadingDayAtOrBefore(510)).isEqualTo(500);
        assertThat(h.hasReadingOn(501)).isFalse();
    }

    @Test
    void monthsKeepTheirTimeOfUseSplit() {
        ConsumptionHistory h = new ConsumptionHistory();
        h.addMonth(24_300, ConsumptionHistory.PEAK, 10);
        h.addMonth(24_300, ConsumptionHistory.VALLEY, 4);
        h.addMonth(24_300 + ConsumptionHistory.MONTHS, ConsumptionHistory.FLAT, 1);
        assertThat(h.monthKwh(24_300, ConsumptionHistory.PEAK)).isZero(); // rolled out
        h.addMonth(24_300 + ConsumptionHistory.MONTHS, ConsumptionHistory.FLAT, 2);
        assertThat(h.monthKwh(24_300 + ConsumptionHistory.MONTHS, ConsumptionHistory.FLAT)).isEqualTo(3);
    }

    @ParameterizedTest
    @CsvSource({"0, 0, ACTUAL, 0", "20000, 3, CORRECTED, 123.25", "4194303, 2, ESTIMATED, 1.0E7"})
    void registerPacksAReadingLosslessly(int day, int period, ReadingQuality q, float kwh) {
        long packed = ReadingRegister.pack(day, period, q, kwh);
        assertThat(ReadingRegister.day(packed)).isEqualTo(day);
        assertThat(ReadingRegister.period(packed)).isEqualTo(period);
        assertThat(ReadingRegister.quality(packed)).isEqualTo(q);
        assertThat(ReadingRegister.kwh(packed)).isCloseTo(kwh, within(0f));
    }

    @ParameterizedTest(name = "held {0} {1}, incoming {2} {3} -> {4}")
    @CsvSource({
            ", , ACTUAL, 5, NEW",
            "ACTUAL, 5, ACTUAL, 5, DUPLICATE",
            "ESTIMATED, 5, ACTUAL, 6, DUPLICATE",
            "ESTIMATED, 5, CORRECTED, 6, CORRECTED",
            "ACTUAL, 5, CORRECTED, 4, CORRECTED",
            "CORRECTED, 6, ESTIMATED, 5, DUPLICATE",
            "CORRECTED, 6, CORRECTED, 7, CORRECTED",
            "CORRECTED, 7, CORRECTED, 6, DUPLICATE",
    })
    void registerCountsRepeatsOnceAndLetsCorrectionsReplace(ReadingQuality held, Float heldKwh, ReadingQuality incoming,
                                                           float kwh, ReadingRegister.Outcome expected) {
        Long packed = held == null ? null : ReadingRegister.pack(100, 0, held, heldKwh);
        assertThat(ReadingRegister.decide(packed, incoming, kwh)).isEqualTo(expected);
    }

    @Test
    void readingIdHashesDiffer() {
        assertThat(ReadingRegister.key("M1-1000")).isNotEqualTo(ReadingRegister.key("M1-1001"));
        assertThat(ReadingRegister.key("M1-1000")).isEqualTo(ReadingRegister.key("M1-1000"));
    }
}
