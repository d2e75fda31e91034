package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CustomerSegment;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The model's scores measured against what later happened to the customers ({@code outcomes.csv}): for each
 * score a segment carries, how well it ranked the customers who reached its outcome (ROC AUC), what its alert
 * threshold caught (precision, recall), how concentrated the outcomes are in its top decile (lift) and whether
 * its bands' outcome rates rise with the score (calibration). Each customer is judged on its latest segment
 * before the outcome ({@link SegmentBeforeOutcome}).
 */
public final class ScoreReport {
    public static final String TEXT_FILE = "score-report.txt";
    public static final String HTML_FILE = "score-report.html";

    private final String modelVersion;
    private final List<String> segmentModelVersions;
    private final long segments;
    private final int customers;
    private final Map<Outcome.Kind, Long> outcomes;
    private final List<ScoreMeasurement> measurements;

    private ScoreReport(String modelVersion, List<String> segmentModelVersions, long segments, int customers,
                        Map<Outcome.Kind, Long> outcomes, List<ScoreMeasurement> measurements) {
        this.modelVersion = modelVersion;
        this.segmentModelVersions = segmentModelVersions;
        this.segments = segments;
        this.customers = customers;
        this.outcomes = outcomes;
        this.measurements = measurements;
    }

    /** Measures every {@link Prediction}; thresholds come from {@code model}. */
    public static ScoreReport measure(SegmentHistory history, List<Outcome> outcomes, ModelConfig model, ZoneId zone) {
        List<ScoreMeasurement> measurements = new ArrayList<>();
        for (Prediction p : Prediction.values()) {
            measurements.add(ScoreMeasurement.of(p, history, outcomes, model, zone));
        }
        Map<Outcome.Kind, Long> counts = new EnumMap<>(Outcome.Kind.class);
        for (Outcome.Kind k : Outcome.Kind.values()) {
            counts.put(k, outcomes.stream().filter(o -> o.outcome() == k).count());
        }
        TreeSet<String> versions = new TreeSet<>();
        for (List<CustomerSegment> list : history.byCustomer().values()) {
            for (CustomerSegment s : list) {
                versions.add(s.getModelVersion());
            }
        }
        return new ScoreReport(model.version(), List.copyOf(versions), history.segments(), history.byCustomer().size(),
                counts, measurements);
    }

    public List<ScoreMeasurement> measurements() {
        return measurements;
    }

    public ScoreMeasurement measurement(Prediction p) {
        return measurements.stream().filter(m -> m.prediction() == p).findFirst().orElseThrow();
    }

    public String modelVersion() {
        return modelVersion;
    }

    public List<String> segmentModelVersions() {
        return segmentModelVersions;
    }

    public long segments() {
        return segments;
    }

    public int customers() {
        return customers;
    }

    public Map<Outcome.Kind, Long> outcomes() {
        return outcomes;
    }

    /** Writes {@link #TEXT_FILE} and {@link #HTML_FILE} into {@code dir} (created if missing). */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TEXT_FILE), text(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(HTML_FILE), ScoreReportHtml.render(this), StandardCharsets.UTF_8);
    }

    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Score report: %,d customers in %,d segments (segments by %s; thresholds of %s)%n",
                customers, segments, String.join(", ", segmentModelVersions), modelVersion));
        b.append(String.format(Locale.ROOT, "Outcomes: %,d CHURNED, %,d DEFAULTED, %,d BECAME_KEY_ACCOUNT%n",
                outcomes.get(Outcome.Kind.CHURNED), outcomes.get(Outcome.Kind.DEFAULTED),
                outcomes.get(Outcome.Kind.BECAME_KEY_ACCOUNT)));
        b.append(rule()).append('\n');
        if (!segmentModelVersions.equals(List.of(modelVersion))) {
            b.append("Note: the segments were not all written by ").append(modelVersion)
                    .append(", whose thresholds are used here.\n");
        }
        for (ScoreMeasurement m : measurements) {
            b.append('\n');
            text(b, m);
        }
        return b.toString();
    }

    static String rule() {
        return "Rule: a customer who reached an outcome is measured on its latest segment describing a day before the\n"
                + "outcome's date; every other customer on its latest segment.";
    }

    private static void text(StringBuilder b, ScoreMeasurement m) {
        String outcome = m.prediction().outcome().name();
        b.append(m.prediction().label()).append(" -> ").append(outcome).append('\n');
        b.append(String.format(Locale.ROOT, "  customers %,d, of whom %,d %s", m.customers(), m.reached(), outcome));
        List<String> apart = new ArrayList<>();
        if (m.cannotReach() > 0) {
            apart.add(String.format(Locale.ROOT, "%,d who cannot reach it", m.cannotReach()));
        }
        if (m.reachedWithoutSegmentBefore() > 0) {
            apart.add(String.format(Locale.ROOT, "%,d %s with no segment before it", m.reachedWithoutSegmentBefore(), outcome));
        }
        if (!apart.isEmpty()) {
            b.append(" (left out: ").append(String.join("; ", apart)).append(')');
        }
        b.append('\n');
        b.append(String.format(Locale.ROOT, "  ROC AUC %s   lift in the top decile %s%n", fmt(m.auc(), 3), fmt(m.topDecileLift(), 2)));
        AlertCounts a = m.alerts();
        b.append(String.format(Locale.ROOT, "  at %s: %,d flagged, precision %s, recall %s%n", m.threshold(), a.flagged(),
                fmt(a.precision(), 3), fmt(a.recall(), 3)));
        b.append(String.format(Locale.ROOT, "  calibration  %-8s %10s %10s %8s%n", "band", "customers", outcome.toLowerCase(Locale.ROOT), "rate"));
        for (CalibrationTable.Row r : m.calibration().rows()) {
            b.append(String.format(Locale.ROOT, "               %-8s %,10d %,10d %8s%n", r.band(), r.customers(), r.outcomes(),
                    Double.isNaN(r.rate()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r.rate())));
        }
    }

    static String fmt(double v, int decimals) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
