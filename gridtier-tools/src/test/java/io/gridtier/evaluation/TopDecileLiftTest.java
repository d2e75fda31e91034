package io.gridtier.evaluation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static io.gridtier.evaluation.DiscriminationTest.outcomes;
import static io.gridtier.evaluation.DiscriminationTest.scores;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TopDecileLiftTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // 10 customers: the top decile is the highest one; base rate 1/10 (or 2/10)
        "the one positive ranked first: 10x          | 10 9 8 7 6 5 4 3 2 1 | 1 0 0 0 0 0 0 0 0 0 | 10.0",
        "the one positive ranked last: 0             | 10 9 8 7 6 5 4 3 2 1 | 0 0 0 0 0 0 0 0 0 1 | 0.0",
        "every score tied: no better than chance     | 5 5 5 5 5 5 5 5 5 5  | 1 1 0 0 0 0 0 0 0 0 | 1.0",
        // the top two tie and share the one place: half a positive in it, rate 0.5 against 0.1
        "a tie at the edge counts pro rata           | 9 9 8 7 6 5 4 3 2 1  | 1 0 0 0 0 0 0 0 0 0 | 5.0",
        // 20 customers: the top decile is 2 places, both positive, rate 1 against 2/20
        "two places for two positives at the top     | 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 | 1 1 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 | 10.0",
        // 20 customers, 4 positives, one of them in the top 2: rate 1/2 against 4/20
        "one of four positives in the top two        | 20 19 18 17 16 15 14 13 12 11 10 9 8 7 6 5 4 3 2 1 | 0 1 0 0 1 0 0 0 0 1 0 0 0 0 1 0 0 0 0 0 | 2.5",
    })
    void liftIsTheTopTenthsOutcomeRateOverTheOverallRate(String name, String s, String reached, double lift) {
        assertThat(TopDecileLift.of(scores(s), outcomes(reached))).isCloseTo(lift, within(1e-12));
    }
}
