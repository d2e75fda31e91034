package io.gridtier.evaluation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gridtier.evaluation.DiscriminationTest.outcomes;
import static org.assertj.core.api.Assertions.assertThat;

class AlertCountsTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                                | flagged   | reached   | precision | recall
        "flags exactly those who reach it      | 1 1 0 0   | 1 1 0 0   | 1.0       | 1.0",
        "flags one right and one wrong         | 1 1 0 0   | 1 0 1 0   | 0.5       | 0.5",
        "flags everyone                        | 1 1 1 1   | 1 0 0 0   | 0.25      | 1.0",
        "flags nobody: precision undefined     | 0 0 0 0   | 1 0 0 0   | NaN       | 0.0",
        "nobody reaches it: recall undefined   | 1 0 0 0   | 0 0 0 0   | 0.0       | NaN",
    })
    void precisionIsTheRightShareOfTheFlaggedAndRecallTheFlaggedShareOfThoseWhoReachedIt(
            String name, String flagged, String reached, double precision, double recall) {
        AlertCounts c = AlertCounts.of(outcomes(flagged), outcomes(reached));
        assertThat(Double.valueOf(c.precision())).isEqualTo(Double.valueOf(precision)); // boxed: NaN equals NaN
        assertThat(Double.valueOf(c.recall())).isEqualTo(Double.valueOf(recall));
    }
}
