package io.gridtier.evaluation;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.gridtier.evaluation.DiscriminationTest.outcomes;
import static io.gridtier.evaluation.DiscriminationTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class CalibrationTableTest {
    @Test
    void aZeroToHundredScoreFallsIntoTenBandsOfTenPointsEachHoldingItsLowerEdge() {
        CalibrationTable t = CalibrationTable.ofBands(
                scores("0 9.99 10 15 15 55 90 99.5 100"),
                outcomes("0 0    0  1  0  1  1  1    0"), 0, 100, 10);
        assertThat(t.rows()).extracting(CalibrationTable.Row::band, CalibrationTable.Row::customers, CalibrationTable.Row::outcomes)
                .containsExactly(
                        tuple("0-10", 2L, 0L),
                        tuple("10-20", 3L, 1L),
                        tuple("20-30", 0L, 0L),
                        tuple("30-40", 0L, 0L),
                        tuple("40-50", 0L, 0L),
                        tuple("50-60", 1L, 1L),
                        tuple("60-70", 0L, 0L),
                        tuple("70-80", 0L, 0L),
                        tuple("80-90", 0L, 0L),
                        tuple("90-100", 3L, 2L));    // 100 itself belongs to the top band
        assertThat(t.rows().get(1).rate()).isEqualTo(1.0 / 3);
        assertThat(t.rows().get(1).meanScore()).isEqualTo((10 + 15 + 15) / 3.0);
        assertThat(t.rows().get(2).rate()).as("an empty band has no rate").isNaN();
    }

    @Test
    void aRatingHasOneRowPerLevelInItsOrder() {
        CalibrationTable t = CalibrationTable.ofLevels(new int[] {0, 2, 2, 1, 0}, List.of("A", "B", "C"),
                outcomes("0 1 1 0 0"));
        assertThat(t.rows()).extracting(CalibrationTable.Row::band, CalibrationTable.Row::customers, CalibrationTable.Row::rate)
                .containsExactly(tuple("A", 2L, 0.0), tuple("B", 1L, 0.0), tuple("C", 2L, 1.0));
    }
}
