package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CustomerSegment;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One score measured against the outcome it predicts, on the segments {@link SegmentBeforeOutcome} chooses:
 * its AUC, its precision and recall at the model's alert threshold, its lift in the top decile and its
 * calibration table.
 *
 * @param customers                 customers measured (those who can reach the outcome)
 * @param reached                   of them, those who reached it
 * @param cannotReach               customers left out because they cannot reach the outcome
 * @param reachedWithoutSegmentBefore customers who reached it with no segment before it, left out
 */
public record ScoreMeasurement(Prediction prediction, String threshold, int customers, long reached, int cannotReach,
                               int reachedWithoutSegmentBefore, double auc, AlertCounts alerts, double topDecileLift,
                               CalibrationTable calibration, List<Discrimination.RocPoint> roc) {

    public static ScoreMeasurement of(Prediction p, SegmentHistory history, List<Outcome> outcomes, ModelConfig model,
                                      ZoneId zone) {
        SegmentBeforeOutcome.Selection selection = SegmentBeforeOutcome.select(history, outcomes, p.outcome(), zone);
        List<SegmentBeforeOutcome.Measured> measured = new ArrayList<>();
        int cannotReach = 0;
        for (SegmentBeforeOutcome.Measured m : selection.measured()) {
            if (p.canReach(m.segment(), model)) {
                measured.add(m);
            } else {
                cannotReach++;
            }
        }
        int n = measured.size();
        double[] risk = new double[n];
        double[] shown = new double[n];
        int[] level = new int[n];
        boolean[] flagged = new boolean[n];
        boolean[] reached = new boolean[n];
        for (int i = 0; i < n; i++) {
            CustomerSegment s = measured.get(i).segment();
            risk[i] = p.risk(s);
            shown[i] = p.shown(s);
            level[i] = (int) risk[i];
            flagged[i] = p.flagged(s, model);
            reached[i] = measured.get(i).reached();
        }
        CalibrationTable calibration = p.levels().isEmpty()
                ? CalibrationTable.ofBands(shown, reached, 0, 100, 10)
                : CalibrationTable.ofLevels(level, p.levels(), reached);
        return new ScoreMeasurement(p, p.threshold(model), n, Discrimination.count(reached), cannotReach,
                selection.reachedWithoutSegmentBefore(), Discrimination.auc(risk, reached), AlertCounts.of(flagged, reached),
                TopDecileLift.of(risk, reached), calibration, Discrimination.rocCurve(risk, reached));
    }
}
