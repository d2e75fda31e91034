package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Fits the churn scorecard's points to what happened: an L2-regularised logistic regression of CHURNED on each
 * churn factor's activation ({@link ChurnFactorRow}), on the segments {@link SegmentBeforeOutcome} chooses,
 * with a stratified hold-out on which the current points and the fitted ones are compared. The result keeps the
 * additive scorecard: points proportional to the weights ({@link ScorecardPoints}). A factor that no fitted
 * customer had switched on, or that has 0 points now (its activation cannot be read), is not fitted and keeps its
 * points.
 */
public final class ChurnCalibration {
    private ChurnCalibration() {
    }

    /**
     * @param holdout     share of customers (of churned and not churned alike) held out of the fit, 0 to 0.9
     * @param seed        seed of the hold-out draw
     * @param lambda      L2 penalty on the mean log-loss
     * @param totalPoints what the fitted factors fully on add up to (factors not fitted keep their points)
     */
    public record Options(double holdout, long seed, double lambda, double totalPoints) {
        public Options {
            if (!(holdout >= 0 && holdout <= 0.9)) {
                throw new IllegalArgumentException("holdout must be between 0 and 0.9, was " + holdout);
            }
            if (!(lambda >= 0)) {
                throw new IllegalArgumentException("l2 must be 0 or more, was " + lambda);
            }
            if (!(totalPoints > 0 && totalPoints <= 100)) {
                throw new IllegalArgumentException("total points must be above 0 and at most 100, was " + totalPoints);
            }
        }
    }

    /** What the fit found and how the current and fitted points compare on the held-out customers. */
    public record Result(Options options, Map<String, Double> currentPoints, Map<String, Double> fittedPoints,
                         Map<String, Double> weights, double intercept, List<String> clamped, List<String> unreadable,
                         List<String> inactive,
                         int trainRows, long trainChurned, int holdoutRows, long holdoutChurned,
                         int churnedWithoutSegmentBefore, double currentHoldoutAuc, double fittedHoldoutAuc,
                         AlertCounts currentAlerts, AlertCounts fittedAlerts, double threshold) {

        /** The factors left out of the fit, which keep the source model's points. */
        public List<String> notFitted() {
            List<String> all = new ArrayList<>(unreadable);
            all.addAll(inactive);
            return all;
        }

        public String text() {
            StringBuilder b = new StringBuilder();
            b.append(String.format(Locale.ROOT, "Rows: %,d customers fitted (%,d churned), %,d held out (%,d churned); seed %d, l2 %s%n",
                    trainRows, trainChurned, holdoutRows, holdoutChurned, options.seed(), ModelFileEdit.number(options.lambda())));
            if (churnedWithoutSegmentBefore > 0) {
                b.append(String.format(Locale.ROOT, "Left out: %,d churned customers with no segment before their churn%n",
                        churnedWithoutSegmentBefore));
            }
            b.append(String.format(Locale.ROOT, "%-16s %8s %10s %8s%n", "factor", "current", "weight", "fitted"));
            for (String f : currentPoints.keySet()) {
                double w = weights.get(f);
                b.append(String.format(Locale.ROOT, "%-16s %8s %10s %8s%s%n", f, ModelFileEdit.number(currentPoints.get(f)),
                        Double.isNaN(w) ? "-" : String.format(Locale.ROOT, "%.3f", w), ModelFileEdit.number(fittedPoints.get(f)),
                        clamped.contains(f) ? "  (negative weight: 0 points)"
                                : unreadable.contains(f) ? "  (not fitted: 0 points now, no activation to read)"
                                : inactive.contains(f) ? "  (not fitted: never on for a fitted customer; points kept)" : ""));
            }
            b.append(String.format(Locale.ROOT, "intercept %.3f (not part of the scorecard: the thresholds stand in for it)%n", intercept));
            b.append(String.format(Locale.ROOT, "Held-out churn AUC: current %s, fitted %s%n",
                    ScoreReport.fmt(currentHoldoutAuc, 3), ScoreReport.fmt(fittedHoldoutAuc, 3)));
            b.append(String.format(Locale.ROOT, "Held out, at churn score >= %s: current %,d flagged, precision %s, recall %s;"
                            + " fitted %,d flagged, precision %s, recall %s%n",
                    ModelFileEdit.number(threshold), currentAlerts.flagged(), ScoreReport.fmt(currentAlerts.precision(), 3),
                    ScoreReport.fmt(currentAlerts.recall(), 3), fittedAlerts.flagged(),
                    ScoreReport.fmt(fittedAlerts.precision(), 3), ScoreReport.fmt(fittedAlerts.recall(), 3)));
            return b.toString();
        }
    }

    public static Result fit(SegmentHistory history, List<Outcome> outcomes, ModelConfig model, ZoneId zone, Options o) {
        Map<String, Double> current = ChurnFactorRow.points(model.churn());
        List<String> unreadable = new ArrayList<>();
        current.forEach((f, p) -> {
            if (p <= 0) {
                unreadable.add(f);
            }
        });
        SegmentBeforeOutcome.Selection selection = SegmentBeforeOutcome.select(history, outcomes, Outcome.Kind.CHURNED, zone);
        List<ChurnFactorRow> churned = new ArrayList<>();
        List<ChurnFactorRow> stayed = new ArrayList<>();
        for (SegmentBeforeOutcome.Measured m : selection.measured()) {
            (m.reached() ? churned : stayed).add(ChurnFactorRow.of(m.segment(), current, m.reached()));
        }
        if (churned.isEmpty() || stayed.isEmpty()) {
            throw new IllegalArgumentException("calibration needs customers who churned and customers who did not: "
                    + churned.size() + " churned, " + stayed.size() + " did not");
        }
        SplittableRandom rng = new SplittableRandom(o.seed());
        List<ChurnFactorRow> train = new ArrayList<>();
        List<ChurnFactorRow> held = new ArrayList<>();
        split(churned, o.holdout(), rng, train, held);
        split(stayed, o.holdout(), rng, train, held);

        // A factor no fitted customer had switched on carries no evidence either way: fitting it would give it
        // 0 points from the absence of data (a silent meter is, on the generator's data, the churn itself, never
        // before it). It is left out of the fit and keeps the source model's points, as one with 0 points does.
        List<String> inactive = new ArrayList<>();
        List<Integer> columns = new ArrayList<>();
        for (int j = 0; j < ChurnFactorRow.FITTED.size(); j++) {
            String f = ChurnFactorRow.FITTED.get(j);
            final int col = j;
            if (unreadable.contains(f)) {
                continue;
            }
            if (train.stream().noneMatch(r -> r.activation()[col] > 0)) {
                inactive.add(f);
            } else {
                columns.add(j);
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalArgumentException("no churn factor is switched on for any fitted customer: nothing to fit");
        }
        double[][] x = new double[train.size()][columns.size()];
        boolean[] y = new boolean[train.size()];
        for (int i = 0; i < train.size(); i++) {
            for (int c = 0; c < columns.size(); c++) {
                x[i][c] = train.get(i).activation()[columns.get(c)];
            }
            y[i] = train.get(i).churned();
        }
        LogisticFit fit = LogisticFit.fit(x, y, o.lambda());
        double[] columnPoints = ScorecardPoints.fromWeights(fit.weights(), o.totalPoints());

        Map<String, Double> fittedPoints = new LinkedHashMap<>();
        Map<String, Double> weightByFactor = new LinkedHashMap<>();
        List<String> clamped = new ArrayList<>();
        double[] currentArray = new double[ChurnFactorRow.FITTED.size()];
        double[] fitted = new double[ChurnFactorRow.FITTED.size()];
        for (int i = 0; i < ChurnFactorRow.FITTED.size(); i++) {
            String f = ChurnFactorRow.FITTED.get(i);
            currentArray[i] = current.get(f);
            int c = columns.indexOf(i);
            double weight = c < 0 ? Double.NaN : fit.weights()[c];
            fitted[i] = c < 0 ? current.get(f) : columnPoints[c];
            fittedPoints.put(f, fitted[i]);
            weightByFactor.put(f, weight);
            if (weight < 0) {
                clamped.add(f);
            }
        }
        double closedPoints = model.churn().closed().points();
        double threshold = model.tiers().churnElevated().enter();
        double[] currentScores = new double[held.size()];
        double[] fittedScores = new double[held.size()];
        boolean[] heldChurned = new boolean[held.size()];
        boolean[] currentFlag = new boolean[held.size()];
        boolean[] fittedFlag = new boolean[held.size()];
        for (int i = 0; i < held.size(); i++) {
            ChurnFactorRow r = held.get(i);
            currentScores[i] = r.score(currentArray, closedPoints);
            fittedScores[i] = r.score(fitted, closedPoints);
            heldChurned[i] = r.churned();
            currentFlag[i] = currentScores[i] >= threshold;
            fittedFlag[i] = fittedScores[i] >= threshold;
        }
        return new Result(o, current, fittedPoints, weightByFactor, fit.intercept(), clamped, unreadable, inactive,
                train.size(), train.stream().filter(ChurnFactorRow::churned).count(),
                held.size(), held.stream().filter(ChurnFactorRow::churned).count(),
                selection.reachedWithoutSegmentBefore(),
                held.isEmpty() ? Double.NaN : Discrimination.auc(currentScores, heldChurned),
                held.isEmpty() ? Double.NaN : Discrimination.auc(fittedScores, heldChurned),
                AlertCounts.of(currentFlag, heldChurned), AlertCounts.of(fittedFlag, heldChurned), threshold);
    }

    /** Holds out round(share x n) of {@code rows}, drawn with {@code rng}; {@code rows} arrive in customer order. */
    private static void split(List<ChurnFactorRow> rows, double share, SplittableRandom rng,
                              List<ChurnFactorRow> train, List<ChurnFactorRow> held) {
        List<ChurnFactorRow> shuffled = new ArrayList<>(rows);
        for (int i = shuffled.size() - 1; i > 0; i--) {
            Collections.swap(shuffled, i, rng.nextInt(i + 1));
        }
        int h = (int) Math.round(share * shuffled.size());
        held.addAll(shuffled.subList(0, h));
        train.addAll(shuffled.subList(h, shuffled.size()));
    }
}
