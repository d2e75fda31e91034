package io.gridtier.evaluation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class DiscriminationTest {
    static double[] scores(String s) {
        return Arrays.stream(s.trim().split("\\s+")).mapToDouble(Double::parseDouble).toArray();
    }

    static boolean[] outcomes(String s) {
        String[] f = s.trim().split("\\s+");
        boolean[] b = new boolean[f.length];
        for (int i = 0; i < f.length; i++) {
            b[i] = f[i].equals("1");
        }
        return b;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // case                                    | scores               | reached (1) or not (0) | AUC
        "perfect ranking                           | 4 3 2 1              | 1 1 0 0                | 1.0",
        "reversed ranking                          | 1 2 3 4              | 1 1 0 0                | 0.0",
        "every score tied                          | 5 5 5 5              | 1 0 1 0                | 0.5",
        // 6 pairs: 0.9 beats all 3 negatives, 0.7 beats 0.6 and 0.5 but not 0.8: 5/6
        "hand-computed, no ties                    | 0.9 0.8 0.7 0.6 0.5  | 1 0 1 0 0              | 0.8333333333333334",
        // 4 pairs: 0.8 beats both, 0.5 ties 0.5 (half) and beats 0.2: 3.5/4
        "a tie between a positive and a negative counts half | 0.8 0.5 0.5 0.2 | 1 1 0 0        | 0.875",
        "input order does not matter               | 0.2 0.5 0.8 0.5      | 0 1 1 0                | 0.875",
    })
    void aucIsTheShareOfPositiveNegativePairsRankedRightWithTiesHalf(String name, String s, String reached, double auc) {
        assertThat(Discrimination.auc(scores(s), outcomes(reached))).isCloseTo(auc, within(1e-12));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"1 2 3 | 0 0 0", "1 2 3 | 1 1 1", "' ' | ' '"})
    void aucIsUndefinedWithoutBothPositivesAndNegatives(String s, String reached) {
        double[] sc = s.isBlank() ? new double[0] : scores(s);
        boolean[] r = reached.isBlank() ? new boolean[0] : outcomes(reached);
        assertThat(Discrimination.auc(sc, r)).isNaN();
    }

    @Test
    void rocCurveRunsFromTheOriginToTheTopRightCornerAndMovesTiesTogether() {
        var curve = Discrimination.rocCurve(scores("0.8 0.5 0.5 0.2"), outcomes("1 1 0 0"));
        assertThat(curve).containsExactly(
                new Discrimination.RocPoint(0, 0),
                new Discrimination.RocPoint(0, 0.5),
                new Discrimination.RocPoint(0.5, 1),   // the tied pair: one positive and one negative at once
                new Discrimination.RocPoint(1, 1));
    }
}
