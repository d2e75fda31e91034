package io.gridtier.evaluation;

import java.util.List;
import java.util.Locale;

/** The score report as one self-contained HTML page: tables and inline SVG, no script, no network. */
final class ScoreReportHtml {
    private static final int SIZE = 220;

    private ScoreReportHtml() {
    }

    static String render(ScoreReport report) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GridTier score report</title>\n")
                .append("<style>body{font-family:sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:.5em 0}")
                .append("td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}")
                .append("td:first-child,th:first-child{text-align:left}section{margin-bottom:2em}")
                .append(".figs{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}</style></head><body>\n");
        h.append("<h1>Score report</h1>\n<p>").append(esc(String.format(Locale.ROOT,
                "%,d customers in %,d segments (segments by %s; thresholds of %s). Outcomes: %,d CHURNED, %,d DEFAULTED, %,d BECAME_KEY_ACCOUNT.",
                report.customers(), report.segments(), String.join(", ", report.segmentModelVersions()), report.modelVersion(),
                report.outcomes().get(Outcome.Kind.CHURNED), report.outcomes().get(Outcome.Kind.DEFAULTED),
                report.outcomes().get(Outcome.Kind.BECAME_KEY_ACCOUNT)))).append("</p>\n<p>")
                .append(esc(ScoreReport.rule().replace('\n', ' '))).append("</p>\n");
        h.append("<table><tr><th>score</th><th>outcome</th><th>customers</th><th>reached</th><th>ROC AUC</th>")
                .append("<th>lift, top decile</th><th>flagged</th><th>precision</th><th>recall</th></tr>\n");
        for (ScoreMeasurement m : report.measurements()) {
            h.append("<tr><td>").append(esc(m.prediction().label())).append("</td><td>").append(m.prediction().outcome())
                    .append("</td><td>").append(m.customers()).append("</td><td>").append(m.reached())
                    .append("</td><td>").append(ScoreReport.fmt(m.auc(), 3)).append("</td><td>").append(ScoreReport.fmt(m.topDecileLift(), 2))
                    .append("</td><td>").append(m.alerts().flagged()).append("</td><td>").append(ScoreReport.fmt(m.alerts().precision(), 3))
                    .append("</td><td>").append(ScoreReport.fmt(m.alerts().recall(), 3)).append("</td></tr>\n");
        }
        h.append("</table>\n");
        for (ScoreMeasurement m : report.measurements()) {
            section(h, m);
        }
        return h.append("</body></html>\n").toString();
    }

    private static void section(StringBuilder h, ScoreMeasurement m) {
        String outcome = m.prediction().outcome().name();
        h.append("<section><h2>").append(esc(m.prediction().label())).append(" &rarr; ").append(outcome).append("</h2>\n");
        h.append("<p>").append(esc(String.format(Locale.ROOT, "%,d customers, %,d reached %s", m.customers(), m.reached(), outcome)));
        if (m.cannotReach() > 0) {
            h.append(esc(String.format(Locale.ROOT, "; %,d who cannot reach it left out", m.cannotReach())));
        }
        if (m.reachedWithoutSegmentBefore() > 0) {
            h.append(esc(String.format(Locale.ROOT, "; %,d with no segment before the outcome left out", m.reachedWithoutSegmentBefore())));
        }
        h.append(". Alert threshold: ").append(esc(m.threshold())).append(".</p>\n<div class=\"figs\">");
        roc(h, m);
        h.append("<table><tr><th>band</th><th>customers</th><th>").append(outcome.toLowerCase(Locale.ROOT))
                .append("</th><th>rate</th><th></th></tr>\n");
        for (CalibrationTable.Row r : m.calibration().rows()) {
            double rate = r.rate();
            int bar = Double.isNaN(rate) ? 0 : (int) Math.round(rate * 120);
            h.append("<tr><td>").append(esc(r.band())).append("</td><td>").append(r.customers()).append("</td><td>")
                    .append(r.outcomes()).append("</td><td>")
                    .append(Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * rate))
                    .append("</td><td style=\"text-align:left\"><svg width=\"122\" height=\"10\"><rect width=\"").append(bar)
                    .append("\" height=\"10\" fill=\"#4a7\"/></svg></td></tr>\n");
        }
        h.append("</table></div></section>\n");
    }

    private static void roc(StringBuilder h, ScoreMeasurement m) {
        List<Discrimination.RocPoint> curve = m.roc();
        h.append("<svg width=\"").append(SIZE + 40).append("\" height=\"").append(SIZE + 40)
                .append("\" role=\"img\" aria-label=\"ROC curve\"><g transform=\"translate(30,10)\">")
                .append("<rect width=\"").append(SIZE).append("\" height=\"").append(SIZE).append("\" fill=\"none\" stroke=\"#999\"/>")
                .append("<line x1=\"0\" y1=\"").append(SIZE).append("\" x2=\"").append(SIZE)
                .append("\" y2=\"0\" stroke=\"#ccc\" stroke-dasharray=\"4\"/>");
        if (!curve.isEmpty()) {
            h.append("<polyline fill=\"none\" stroke=\"#24a\" stroke-width=\"2\" points=\"");
            for (Discrimination.RocPoint p : curve) {
                h.append(String.format(Locale.ROOT, "%.1f,%.1f ", p.falsePositiveRate() * SIZE, (1 - p.truePositiveRate()) * SIZE));
            }
            h.append("\"/>");
        }
        h.append("<text x=\"").append(SIZE / 2).append("\" y=\"").append(SIZE + 22)
                .append("\" font-size=\"11\" text-anchor=\"middle\">false positive rate</text>")
                .append("<text x=\"-8\" y=\"").append(SIZE / 2).append("\" font-size=\"11\" text-anchor=\"middle\" transform=\"rotate(-90 -8 ")
                .append(SIZE / 2).append(")\">true positive rate</text>")
                .append("<text x=\"").append(SIZE - 4).append("\" y=\"").append(SIZE - 6)
                .append("\" font-size=\"12\" text-anchor=\"end\">AUC ").append(ScoreReport.fmt(m.auc(), 3)).append("</text>")
                .append("</g></svg>");
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
