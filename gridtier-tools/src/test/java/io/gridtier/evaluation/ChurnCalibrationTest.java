package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static io.gridtier.evaluation.Segments.ZONE;
import static io.gridtier.evaluation.Segments.segment;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Calibration on a synthetic population whose churn is driven by one factor (a silent meter), made less likely
 * by another (an approaching contract end, here a renewal), the other factors noise but one never switched on
 * (nobody is suspended); the current model gives every factor the same points.
 */
class ChurnCalibrationTest {
    private static final LocalDate DAY = LocalDate.parse("2024-06-01");
    private static final int SILENCE = ChurnFactorRow.FITTED.indexOf("meterSilence");
    private static final int CONTRACT = ChurnFactorRow.FITTED.indexOf("contractEnd");
    private static final int SUSPENDED = ChurnFactorRow.FITTED.indexOf("suspended");

    @TempDir
    static Path dir;
    static ModelConfig uniform;

    @BeforeAll
    static void uniformModel() throws Exception {
        Map<String, Double> equal = ModelFileEditTest.points(10, 10, 10, 10, 10, 10, 10);
        Path file = dir.resolve("uniform.yaml");
        Files.writeString(file, ModelFileEdit.withChurnPoints(ModelFileEditTest.source(), equal, "uniform", List.of()),
                StandardCharsets.UTF_8);
        uniform = ModelConfig.load(file);
    }

    /** Segments written with the uniform points, and the customers who churned ten days later. */
    record Population(SegmentHistory history, List<Outcome> outcomes) { }

    static Population population(int customers, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<CustomerSegment> segments = new ArrayList<>();
        List<Outcome> outcomes = new ArrayList<>();
        for (int c = 0; c < customers; c++) {
            String id = String.format("C%05d", c);
            double[] a = new double[ChurnFactorRow.FITTED.size()];
            for (int j = 0; j < a.length; j++) {
                a[j] = j == SUSPENDED ? 0 : rng.nextDouble();
            }
            double z = -5 + 8 * a[SILENCE] - 2 * a[CONTRACT];
            boolean churned = rng.nextDouble() < 1 / (1 + Math.exp(-z));
            List<Factor> factors = new ArrayList<>();
            long hundredths = 0;
            for (int j = 0; j < a.length; j++) {
                double contribution = Math.round(10 * a[j] * 100) / 100.0;
                hundredths += Math.round(contribution * 100);
                factors.add(Segments.churnFactor(ChurnFactorRow.FITTED.get(j), contribution));
            }
            segments.add(segment(id, DAY).setFactors(factors).setChurnScore(hundredths / 100.0).build());
            if (churned) {
                outcomes.add(new Outcome(id, Outcome.Kind.CHURNED, DAY.plusDays(10)));
            }
        }
        return new Population(SegmentHistory.of(segments), outcomes);
    }

    private static ChurnCalibration.Result calibrate() {
        Population p = population(3000, 1);
        return ChurnCalibration.fit(p.history(), p.outcomes(), uniform, ZONE, new ChurnCalibration.Options(0.3, 7, 0.001, 100));
    }

    @Test
    void theFactorThatDrivesChurnGetsTheMostPoints() {
        Map<String, Double> fitted = calibrate().fittedPoints();
        double silence = fitted.get("meterSilence");
        assertThat(fitted).allSatisfy((factor, points) -> {
            if (!factor.equals("meterSilence")) {
                assertThat(points).as(factor).isLessThan(silence);
            }
        });
    }

    @Test
    void aFactorThatMakesChurnLessLikelyGetsNoPointsAndTheRestAddUpToTheScorecardsRange() {
        ChurnCalibration.Result r = calibrate();
        assertThat(r.weights().get("contractEnd")).isNegative();
        assertThat(r.clamped()).contains("contractEnd");
        assertThat(r.fittedPoints().get("contractEnd")).isZero();
        long hundredths = r.fittedPoints().entrySet().stream().filter(e -> !e.getKey().equals("suspended"))
                .mapToLong(e -> Math.round(e.getValue() * 100)).sum();
        assertThat(hundredths).isEqualTo(100_00);
    }

    @Test
    void aFactorNobodyHadSwitchedOnIsNotFittedAndKeepsItsPoints() {
        ChurnCalibration.Result r = calibrate();
        assertThat(r.notFitted()).containsExactly("suspended");
        assertThat(r.weights().get("suspended")).isNaN();
        assertThat(r.fittedPoints().get("suspended")).isEqualTo(uniform.churn().suspended().points());
    }

    @Test
    void theFittedPointsRankHeldOutCustomersAtLeastAsWellAsTheUniformOnes() {
        ChurnCalibration.Result r = calibrate();
        assertThat(r.fittedHoldoutAuc()).isGreaterThanOrEqualTo(r.currentHoldoutAuc());
        assertThat(r.holdoutRows() + r.trainRows()).isEqualTo(3000);
        assertThat(r.holdoutChurned()).isEqualTo(Math.round(0.3 * (r.holdoutChurned() + r.trainChurned())));

        // and on a population the fit never saw
        Population fresh = population(2000, 99);
        double[] fitted = r.fittedPoints().values().stream().mapToDouble(Double::doubleValue).toArray();
        double[] equal = new double[fitted.length];
        java.util.Arrays.fill(equal, 10);
        var selection = SegmentBeforeOutcome.select(fresh.history(), fresh.outcomes(), Outcome.Kind.CHURNED, ZONE);
        Map<String, Double> current = ChurnFactorRow.points(uniform.churn());
        int n = selection.measured().size();
        double[] byFitted = new double[n];
        double[] byEqual = new double[n];
        boolean[] churned = new boolean[n];
        for (int i = 0; i < n; i++) {
            var m = selection.measured().get(i);
            ChurnFactorRow row = ChurnFactorRow.of(m.segment(), current, m.reached());
            byFitted[i] = row.score(fitted, 100);
            byEqual[i] = row.score(equal, 100);
            churned[i] = m.reached();
        }
        assertThat(Discrimination.auc(byFitted, churned)).isGreaterThanOrEqualTo(Discrimination.auc(byEqual, churned));
    }

    @Test
    void theSameSeedDrawsTheSameHoldOut() {
        assertThat(calibrate()).isEqualTo(calibrate());
    }
}
