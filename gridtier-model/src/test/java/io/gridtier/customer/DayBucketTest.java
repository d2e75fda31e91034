package io.gridtier.customer;

import io.gridtier.schema.ReadingQuality;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** A day's bucket: corrections, their arithmetic, and the cap on distinct readings. */
class DayBucketTest {
    private static final int PEAK = ConsumptionHistory.PEAK;
    private static final int VALLEY = ConsumptionHistory.VALLEY;

    @Test
    void aCorrectionReplacesTheEstimateAndTheLargerOfTwoCorrectionsWins() {
        DayBucket b = new DayBucket();
        assertThat(b.apply(1L, ReadingQuality.ESTIMATED, PEAK, 5f).outcome()).isEqualTo(ReadingRegister.Outcome.NEW);
        DayBucket.Applied c = b.apply(1L, ReadingQuality.CORRECTED, PEAK, 3f);
        assertThat(c.outcome()).isEqualTo(ReadingRegister.Outcome.CORRECTED);
        assertThat(c.delta()).isEqualTo(-2f);
        assertThat(b.apply(1L, ReadingQuality.CORRECTED, PEAK, 2f).outcome()).isEqualTo(ReadingRegister.Outcome.DUPLICATE);
        assertThat(b.apply(1L, ReadingQuality.CORRECTED, PEAK, 4f).outcome()).isEqualTo(ReadingRegister.Outcome.CORRECTED);
        assertThat(b.apply(1L, ReadingQuality.ACTUAL, PEAK, 9f).outcome()).isEqualTo(ReadingRegister.Outcome.DUPLICATE);
        assertThat(b.total()).isEqualTo(4.0);
        assertThat(b.readings()).isEqualTo(1);
    }

    @Test
    void correctingAZeroOrAMaximalReadingGivesExactlyTheNewValue() {
        float max = 2_000_000f * 24; // validation.maxKwhPerHour's default over a daily interval
        DayBucket b = new DayBucket();
        b.apply(1L, ReadingQuality.ACTUAL, VALLEY, 0f);
        b.apply(1L, ReadingQuality.CORRECTED, VALLEY, max);
        assertThat(b.periodKwh(VALLEY)).isEqualTo(max);
        b.apply(2L, ReadingQuality.ESTIMATED, PEAK, max);
        b.apply(2L, ReadingQuality.CORRECTED, PEAK, 0f);
        assertThat(b.periodKwh(PEAK)).isEqualTo(0f);
        assertThat(b.total()).isEqualTo(max);
    }

    /**
     * Any mix of readings, repeats and corrections within the plausibility bound keeps every total
     * finite (no Infinity, no NaN) and equal to the sum of the values in force, up to float rounding.
     */
    @Test
    void correctionsWithinThePlausibilityBoundNeverLeaveInfinityOrNaN() {
        Random r = new Random(42);
        float max = 2_000_000f * 24;
        DayBucket b = new DayBucket();
        Map<Long, Float> inForce = new HashMap<>();
        Map<Long, ReadingQuality> quality = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            long id = r.nextInt(40);
            ReadingQuality q = ReadingQuality.values()[r.nextInt(3)];
            float kwh = r.nextInt(10) == 0 ? max : r.nextFloat() * (r.nextBoolean() ? max : 100f);
            DayBucket.Applied a = b.apply(id, q, r.nextInt(4), kwh);
            if (a.outcome() != ReadingRegister.Outcome.DUPLICATE) {
                inForce.put(id, kwh);
                quality.put(id, q);
            }
            for (int p = 0; p < ConsumptionHistory.PERIODS; p++) {
                assertThat(Float.isFinite(b.periodKwh(p))).as("period %d after step %d", p, i).isTrue();
            }
            assertThat(Float.isFinite(a.delta())).isTrue();
        }
        double expected = inForce.values().stream().mapToDouble(Float::doubleValue).sum();
        assertThat(b.total()).isCloseTo(expected, within(expected * 1e-3));
        assertThat(b.readings()).isEqualTo(inForce.size());
    }

    @Test
    void aFullDayRefusesNewReadingsButStillTakesRepeatsAndCorrections() {
        DayBucket b = new DayBucket();
        for (long id = 1; id <= 3; id++) {
            assertThat(b.apply(id, ReadingQuality.ESTIMATED, PEAK, 10f, 3).outcome()).isEqualTo(ReadingRegister.Outcome.NEW);
        }
        byte[] before = b.entries.clone();
        DayBucket.Applied refused = b.apply(4L, ReadingQuality.ACTUAL, PEAK, 10f, 3);
        assertThat(refused.outcome()).isEqualTo(ReadingRegister.Outcome.DAY_FULL);
        assertThat(refused.delta()).isZero();
        assertThat(b.entries).as("nothing changed").isEqualTo(before);
        assertThat(b.total()).isEqualTo(30.0);

        assertThat(b.apply(2L, ReadingQuality.ESTIMATED, PEAK, 10f, 3).outcome()).isEqualTo(ReadingRegister.Outcome.DUPLICATE);
        assertThat(b.apply(2L, ReadingQuality.CORRECTED, PEAK, 15f, 3).outcome()).isEqualTo(ReadingRegister.Outcome.CORRECTED);
        assertThat(b.total()).isEqualTo(35.0);
        assertThat(b.readings()).isEqualTo(3);
        assertThat(b.apply(5L, ReadingQuality.ACTUAL, PEAK, 1f).outcome())
                .as("without a cap, as before").isEqualTo(ReadingRegister.Outcome.NEW);
    }
}
