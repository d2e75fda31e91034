package io.gridtier.backtest;

import io.gridtier.schema.AlertType;

import java.time.YearMonth;
import java.util.List;
import java.util.Locale;

/**
 * The backtest as one self-contained HTML page for a marketing manager: tables and server-rendered SVG charts,
 * no script, no network, no external file.
 */
final class BacktestHtml {
    private static final String CURRENT = "#3b6fb6";
    private static final String CANDIDATE = "#e08a2c";
    private static final String[] LINES = {"#3b6fb6", "#c0392b", "#27ae60", "#8e44ad"};

    private BacktestHtml() {
    }

    static String render(BacktestReport r) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>GridTier backtest: ")
                .append(esc(r.candidate().modelVersion())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:2em;max-width:72em;color:#222}h1{margin-bottom:.2em}")
                .append("table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
                .append("th{background:#f0f0f0}td:first-child,th:first-child{text-align:left}.grid{display:flex;gap:1.5em;flex-wrap:wrap}")
                .append(".same{background:#eee;color:#555}.moved{font-weight:bold}.muted{color:#666}section{margin:1.5em 0}")
                .append(".key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}")
                .append("</style></head><body>\n");
        h.append("<h1>What would ").append(esc(r.candidate().modelVersion())).append(" change?</h1>\n<p class=\"muted\">")
                .append(esc(String.format(Locale.ROOT, "Candidate %s against the current %s, both run over the same history "
                                + "(%s) with the job's own operators: %,d customers, %s to %s.", r.candidate().modelVersion(),
                        r.current().modelVersion(), r.events(), r.customers(), first(r), last(r)))).append("</p>\n");
        h.append("<p>").append(esc(String.format(Locale.ROOT, "At the end of the history the candidate puts %,d customers in "
                        + "another value tier, %,d in another churn level, %,d in another credit rating and changes the "
                        + "potential-key-account flag of %,d. Alerts over the history: %,d with the current model, %,d with the candidate.",
                r.atEnd(Dimension.VALUE_TIER).moved(), r.atEnd(Dimension.CHURN_RISK).moved(), r.atEnd(Dimension.CREDIT_RATING).moved(),
                r.atEnd(Dimension.POTENTIAL_KEY_ACCOUNT).moved(), r.current().alerts().size(), r.candidate().alerts().size())))
                .append("</p>\n");

        h.append("<section><h2>Where customers end up</h2><p class=\"muted\">Rows: the current model; columns: the candidate. "
                + "Grey: unchanged.</p><div class=\"grid\">\n");
        for (Dimension d : Dimension.values()) {
            matrix(h, r.atEnd(d));
        }
        h.append("</div></section>\n");

        h.append("<section><h2>Alerts per month</h2>");
        legend(h, List.of(r.current().modelVersion() + " (current)", r.candidate().modelVersion() + " (candidate)"),
                new String[] {CURRENT, CANDIDATE});
        alertBars(h, r);
        h.append("</section>\n");

        h.append("<section><h2>Customers the candidate puts elsewhere, month by month</h2>");
        legend(h, java.util.Arrays.stream(Dimension.values()).map(Dimension::label).toList(), LINES);
        movedLines(h, r);
        h.append("</section>\n");

        h.append("<section><h2>Alerts by type</h2><table><tr><th>alert</th><th>current</th><th>candidate</th><th>change</th></tr>\n");
        for (AlertType t : AlertType.values()) {
            long a = r.alertsOfType(t, 0), b = r.alertsOfType(t, 1);
            h.append("<tr><td>").append(t).append("</td><td>").append(a).append("</td><td>").append(b).append("</td><td")
                    .append(a == b ? ">" : " class=\"moved\">").append(String.format(Locale.ROOT, "%+d", b - a)).append("</td></tr>\n");
        }
        h.append("</table></section>\n");

        h.append("<section><h2>The customers that move most</h2><p class=\"muted\">")
                .append(esc(String.format(Locale.ROOT, "Top %d of %,d customers whose final scores differ, by the largest "
                        + "change of a score; the factors whose points changed most. ", r.movers().size(), r.moversTotal())
                        + r.moversCaveat()))
                .append("</p><table><tr><th>customer</th><th>value tier</th><th>churn</th><th>credit</th><th>value</th>"
                        + "<th>churn score</th><th>credit score</th><th>what moved them</th><th>segments of</th></tr>\n");
        for (BacktestReport.Mover m : r.movers()) {
            h.append("<tr><td>").append(esc(m.customerId())).append("</td><td>")
                    .append(change(m.current().getValueTier().name(), m.candidate().getValueTier().name())).append("</td><td>")
                    .append(change(m.current().getChurnRisk().name(), m.candidate().getChurnRisk().name())).append("</td><td>")
                    .append(change(m.current().getCreditRating().name(), m.candidate().getCreditRating().name())).append("</td><td>")
                    .append(BacktestReport.signed(m.valueDelta())).append("</td><td>").append(BacktestReport.signed(m.churnDelta()))
                    .append("</td><td>").append(BacktestReport.signed(m.creditDelta())).append("</td><td style=\"text-align:left\">");
            for (BacktestReport.FactorChange f : m.factors()) {
                h.append("<div>").append(esc(f.score().toLowerCase(Locale.ROOT) + " " + f.name() + " "
                        + BacktestReport.signed(f.delta()))).append(" <span class=\"muted\">").append(esc(f.detail()))
                        .append("</span></div>");
            }
            h.append("</td><td>").append(r.day(m.current())).append("<br>").append(r.day(m.candidate())).append("</td></tr>\n");
        }
        h.append("</table></section>\n<p class=\"muted\">Written by bin/gridtier backtest; the same figures are in report.txt, "
                + "migrations-by-month.csv, alerts-by-month.csv and movers.csv.</p>\n</body></html>\n");
        return h.toString();
    }

    private static String first(BacktestReport r) {
        return r.months().isEmpty() ? "-" : r.months().get(0).toString();
    }

    private static String last(BacktestReport r) {
        return r.months().isEmpty() ? "-" : r.months().get(r.months().size() - 1).toString();
    }

    private static String change(String a, String b) {
        return a.equals(b) ? esc(a) : "<b>" + esc(a) + " &rarr; " + esc(b) + "</b>";
    }

    private static void matrix(StringBuilder h, Migration m) {
        List<String> levels = m.dimension().levels().stream().filter(m::used).toList();
        h.append("<table><caption>").append(esc(m.dimension().label())).append(": ").append(m.moved())
                .append(" move</caption><tr><th>from \\ to</th>");
        levels.forEach(l -> h.append("<th>").append(esc(l)).append("</th>"));
        h.append("</tr>\n");
        for (String from : levels) {
            h.append("<tr><th>").append(esc(from)).append("</th>");
            for (String to : levels) {
                long n = m.count(from, to);
                h.append(from.equals(to) ? "<td class=\"same\">" : n > 0 ? "<td class=\"moved\" style=\"background:#fbe3c8\">" : "<td>")
                        .append(n).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void legend(StringBuilder h, List<String> names, String[] colours) {
        h.append("<div class=\"key\">");
        for (int i = 0; i < names.size(); i++) {
            h.append("<span style=\"background:").append(colours[i]).append("\"></span>").append(esc(names.get(i)));
        }
        h.append("</div>\n");
    }

    private static final int W = 900, H = 220, LEFT = 50, RIGHT = 30, BOTTOM = 30;

    private static void alertBars(StringBuilder h, BacktestReport r) {
        List<YearMonth> months = r.months();
        long max = 1;
        for (YearMonth m : months) {
            max = Math.max(max, Math.max(r.alertsInMonth(m, 0), r.alertsInMonth(m, 1)));
        }
        axes(h, max, "alerts");
        double slot = months.isEmpty() ? 0 : (double) (W - LEFT - RIGHT) / months.size();
        double bar = Math.max(1, slot * 0.38);
        for (int i = 0; i < months.size(); i++) {
            YearMonth m = months.get(i);
            for (int side = 0; side < 2; side++) {
                double v = r.alertsInMonth(m, side);
                double height = v / max * (H - BOTTOM - 10);
                h.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
                                + "<title>%s %s: %d</title></rect>", LEFT + i * slot + slot * 0.1 + side * bar, H - BOTTOM - height,
                        bar, height, side == 0 ? CURRENT : CANDIDATE, m, side == 0 ? "current" : "candidate", (long) v));
            }
            monthLabel(h, months, i, LEFT + i * slot + slot / 2);
        }
        h.append("</svg>\n");
    }

    private static void movedLines(StringBuilder h, BacktestReport r) {
        List<YearMonth> months = r.months();
        long max = 1;
        for (YearMonth m : months) {
            for (Dimension d : Dimension.values()) {
                max = Math.max(max, r.byMonth().get(m).get(d).moved());
            }
        }
        axes(h, max, "customers");
        double slot = months.isEmpty() ? 0 : (double) (W - LEFT - RIGHT) / months.size();
        Dimension[] dims = Dimension.values();
        for (int k = 0; k < dims.length; k++) {
            h.append("<polyline fill=\"none\" stroke-width=\"2\" stroke=\"").append(LINES[k]).append("\" points=\"");
            for (int i = 0; i < months.size(); i++) {
                double v = r.byMonth().get(months.get(i)).get(dims[k]).moved();
                h.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + i * slot + slot / 2, H - BOTTOM - v / max * (H - BOTTOM - 10)));
            }
            h.append("\"/>");
        }
        for (int i = 0; i < months.size(); i++) {
            monthLabel(h, months, i, LEFT + i * slot + slot / 2);
        }
        h.append("</svg>\n");
    }

    private static void axes(StringBuilder h, long max, String unit) {
        h.append("<svg width=\"").append(W).append("\" height=\"").append(H).append("\" role=\"img\" aria-label=\"")
                .append(unit).append(" by month\">");
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT, H - BOTTOM, W, H - BOTTOM));
        h.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" stroke=\"#999\"/>", LEFT, LEFT, H - BOTTOM));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"11\" text-anchor=\"end\">%d</text>", LEFT - 4, max));
        h.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">0</text>", LEFT - 4, H - BOTTOM));
    }

    private static void monthLabel(StringBuilder h, List<YearMonth> months, int i, double x) {
        int every = Math.max(1, months.size() / 12);
        if (i % every == 0) {
            h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" text-anchor=\"middle\">%s</text>",
                    x, H - BOTTOM + 14, months.get(i)));
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
