package io.gridtier.backtest;

import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.SegmentAlert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a candidate model does compared with the current one over the same history: tier migrations at the end
 * and month by month, alert volumes by type and month, and the customers that move most with the factors that
 * moved them. Built from the two replays' outputs; pure computation.
 */
public final class BacktestReport {
    public static final String TEXT_FILE = "report.txt";
    public static final String HTML_FILE = "report.html";

    /** One model's replay: its version and outputs. */
    public record Run(String modelVersion, SegmentHistory segments, List<SegmentAlert> alerts) {
    }

    /** A factor's contribution under both models. */
    public record FactorChange(String score, String name, double current, double candidate, String detail) {
        public double delta() {
            return candidate - current;
        }
    }

    /** A customer whose scores the candidate moves, at the end of the history. */
    public record Mover(String customerId, CustomerSegment current, CustomerSegment candidate, List<FactorChange> factors) {
        public double valueDelta() {
            return candidate.getValueScore() - current.getValueScore();
        }

        public double churnDelta() {
            return candidate.getChurnScore() - current.getChurnScore();
        }

        public double creditDelta() {
            return candidate.getCreditScore() - current.getCreditScore();
        }

        /** The largest of the three score changes, in points. */
        public double size() {
            return Math.max(Math.abs(valueDelta()), Math.max(Math.abs(churnDelta()), Math.abs(creditDelta())));
        }
    }

    private final Run current;
    private final Run candidate;
    private final ZoneId zone;
    private final String events;
    private final List<YearMonth> months;
    private final Map<Dimension, Migration> atEnd = new EnumMap<>(Dimension.class);
    private final Map<YearMonth, Map<Dimension, Migration>> byMonth = new LinkedHashMap<>();
    /** month -> alert type -> {current, candidate}. */
    private final Map<YearMonth, Map<AlertType, long[]>> alerts = new TreeMap<>();
    private final List<Mover> movers;
    private final long moversTotal;
    private final double drift;

    /**
     * @param drift the larger of the two models' {@code emission.materialChangePoints}: a segment is rewritten once
     *              a score moves that much, so a score as last written is within it of the day's value
     */
    public BacktestReport(String events, Run current, Run candidate, ZoneId zone, int top, double drift) {
        this.events = events;
        this.drift = drift;
        this.current = current;
        this.candidate = candidate;
        this.zone = zone;
        this.months = months(current, candidate, zone);
        for (YearMonth m : months) {
            Instant end = m.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
            Map<String, CustomerSegment> a = inForce(current.segments(), end);
            Map<String, CustomerSegment> b = inForce(candidate.segments(), end);
            Map<Dimension, Migration> month = new EnumMap<>(Dimension.class);
            for (Dimension d : Dimension.values()) {
                month.put(d, Migration.of(d, a, b));
            }
            byMonth.put(m, month);
        }
        Map<String, CustomerSegment> finalA = inForce(current.segments(), Instant.MAX);
        Map<String, CustomerSegment> finalB = inForce(candidate.segments(), Instant.MAX);
        for (Dimension d : Dimension.values()) {
            atEnd.put(d, Migration.of(d, finalA, finalB));
        }
        count(current.alerts(), 0);
        count(candidate.alerts(), 1);
        List<Mover> all = new ArrayList<>();
        for (Map.Entry<String, CustomerSegment> e : finalA.entrySet()) {
            CustomerSegment b = finalB.get(e.getKey());
            if (b != null) {
                Mover m = new Mover(e.getKey(), e.getValue(), b, factorChanges(e.getValue(), b));
                if (m.size() >= 0.005) {
                    all.add(m);
                }
            }
        }
        all.sort(Comparator.comparingDouble(Mover::size).reversed().thenComparing(Mover::customerId));
        this.moversTotal = all.size();
        this.movers = List.copyOf(all.subList(0, Math.min(top, all.size())));
    }

    private static List<YearMonth> months(Run a, Run b, ZoneId zone) {
        Instant first = Instant.MAX, last = Instant.MIN;
        for (Run r : List.of(a, b)) {
            for (List<CustomerSegment> list : r.segments().byCustomer().values()) {
                first = list.get(0).getAsOf().isBefore(first) ? list.get(0).getAsOf() : first;
                Instant end = list.get(list.size() - 1).getAsOf();
                last = end.isAfter(last) ? end : last;
            }
        }
        List<YearMonth> out = new ArrayList<>();
        if (first.equals(Instant.MAX)) {
            return out;
        }
        YearMonth end = YearMonth.from(last.minusMillis(1).atZone(zone));
        for (YearMonth m = YearMonth.from(first.minusMillis(1).atZone(zone)); !m.isAfter(end); m = m.plusMonths(1)) {
            out.add(m);
        }
        return out;
    }

    /** Each customer's latest segment with {@code asOf} not after {@code at}. */
    static Map<String, CustomerSegment> inForce(SegmentHistory history, Instant at) {
        Map<String, CustomerSegment> out = new HashMap<>();
        history.byCustomer().forEach((id, list) -> {
            CustomerSegment found = null;
            int lo = 0, hi = list.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (!list.get(mid).getAsOf().isAfter(at)) {
                    found = list.get(mid);
                    lo = mid + 1;
                } else {
                    hi = mid - 1;
                }
            }
            if (found != null) {
                out.put(id, found);
            }
        });
        return out;
    }

    private void count(List<SegmentAlert> list, int side) {
        for (SegmentAlert a : list) {
            YearMonth m = YearMonth.from(a.getEventTime().minusMillis(1).atZone(zone));
            alerts.computeIfAbsent(m, k -> new EnumMap<>(AlertType.class))
                    .computeIfAbsent(a.getType(), k -> new long[2])[side]++;
        }
    }

    private static List<FactorChange> factorChanges(CustomerSegment a, CustomerSegment b) {
        Map<String, Factor[]> byName = new LinkedHashMap<>();
        for (Factor f : a.getFactors()) {
            byName.computeIfAbsent(f.getScore() + " " + f.getName(), k -> new Factor[2])[0] = f;
        }
        for (Factor f : b.getFactors()) {
            byName.computeIfAbsent(f.getScore() + " " + f.getName(), k -> new Factor[2])[1] = f;
        }
        List<FactorChange> out = new ArrayList<>();
        for (Factor[] pair : byName.values()) {
            Factor any = pair[1] != null ? pair[1] : pair[0];
            FactorChange c = new FactorChange(any.getScore().name(), any.getName(),
                    pair[0] == null ? 0 : pair[0].getContribution(), pair[1] == null ? 0 : pair[1].getContribution(),
                    any.getDetail());
            if (Math.abs(c.delta()) >= 0.005) {
                out.add(c);
            }
        }
        out.sort(Comparator.comparingDouble((FactorChange c) -> Math.abs(c.delta())).reversed());
        return List.copyOf(out.subList(0, Math.min(3, out.size())));
    }

    public Run current() {
        return current;
    }

    public Run candidate() {
        return candidate;
    }

    public String events() {
        return events;
    }

    public ZoneId zone() {
        return zone;
    }

    public List<YearMonth> months() {
        return months;
    }

    public Migration atEnd(Dimension d) {
        return atEnd.get(d);
    }

    public Map<YearMonth, Map<Dimension, Migration>> byMonth() {
        return byMonth;
    }

    /** Alerts of one type in one month under one model (0 current, 1 candidate). */
    public long alerts(YearMonth month, AlertType type, int side) {
        Map<AlertType, long[]> m = alerts.get(month);
        long[] c = m == null ? null : m.get(type);
        return c == null ? 0 : c[side];
    }

    public long alertsInMonth(YearMonth month, int side) {
        long n = 0;
        for (AlertType t : AlertType.values()) {
            n += alerts(month, t, side);
        }
        return n;
    }

    public long alertsOfType(AlertType type, int side) {
        long n = 0;
        for (YearMonth m : months) {
            n += alerts(m, type, side);
        }
        return n;
    }

    /** What the movers' caveat says: how far a score as last written can be from the day's value. */
    public String moversCaveat() {
        return String.format(Locale.ROOT, "Scores as each model last wrote them (a segment is rewritten once a score moves "
                + "%.1f points, and every refresh period): each is within %.1f points of the day's value, so a change below "
                + "%.1f points may be partly the days between the two segments.", drift, drift, 2 * drift);
    }

    public List<Mover> movers() {
        return movers;
    }

    /** Customers whose final scores differ at all (the movers listed are the top of these). */
    public long moversTotal() {
        return moversTotal;
    }

    public long customers() {
        java.util.Set<String> ids = new java.util.HashSet<>(current.segments().byCustomer().keySet());
        ids.addAll(candidate.segments().byCustomer().keySet());
        return ids.size();
    }

    static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    /** The report as text (also {@link #TEXT_FILE}). */
    public String text() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Backtest of %s against %s over %s: %,d customers, %s to %s.%n",
                candidate.modelVersion(), current.modelVersion(), events, customers(),
                months.isEmpty() ? "-" : months.get(0), months.isEmpty() ? "-" : months.get(months.size() - 1)));
        b.append(String.format(Locale.ROOT, "Segments written: %,d (current) and %,d (candidate); alerts: %,d and %,d.%n%n",
                current.segments().segments(), candidate.segments().segments(), current.alerts().size(), candidate.alerts().size()));
        b.append("At the end (rows: current model, columns: candidate)\n");
        for (Dimension d : Dimension.values()) {
            Migration m = atEnd(d);
            b.append(String.format(Locale.ROOT, "%n%s: %,d customers move%n", d.label(), m.moved()));
            List<String> levels = d.levels().stream().filter(m::used).toList();
            b.append(String.format(Locale.ROOT, "  %-14s", "from \\ to"));
            levels.forEach(l -> b.append(String.format(Locale.ROOT, "%12s", l)));
            b.append('\n');
            for (String from : levels) {
                b.append(String.format(Locale.ROOT, "  %-14s", from));
                levels.forEach(to -> b.append(String.format(Locale.ROOT, "%12d", m.count(from, to))));
                b.append('\n');
            }
        }
        b.append("\nCustomers in another level under the candidate, month by month (at each month's end)\n");
        b.append(String.format(Locale.ROOT, "  %-8s", "month"));
        for (Dimension d : Dimension.values()) {
            b.append(String.format(Locale.ROOT, "%24s", d.label()));
        }
        b.append(String.format(Locale.ROOT, "%20s%n", "alerts cur / cand"));
        for (YearMonth month : months) {
            b.append(String.format(Locale.ROOT, "  %-8s", month));
            for (Dimension d : Dimension.values()) {
                b.append(String.format(Locale.ROOT, "%24d", byMonth.get(month).get(d).moved()));
            }
            b.append(String.format(Locale.ROOT, "%20s%n", alertsInMonth(month, 0) + " / " + alertsInMonth(month, 1)));
        }
        b.append("\nAlerts by type over the history (current / candidate)\n");
        for (AlertType t : AlertType.values()) {
            b.append(String.format(Locale.ROOT, "  %-34s %,8d / %,d%n", t, alertsOfType(t, 0), alertsOfType(t, 1)));
        }
        b.append(String.format(Locale.ROOT, "%nTop %d of %,d customers whose final scores move (value, churn, credit "
                + "change; the factors that moved most; the two segments' dates)%n", movers.size(), moversTotal));
        b.append("  ").append(moversCaveat()).append('\n');
        for (Mover m : movers) {
            b.append(String.format(Locale.ROOT, "  %-12s %-11s -> %-11s value %s churn %s credit %s  %s  (%s / %s)%n",
                    m.customerId(), m.current().getValueTier(), m.candidate().getValueTier(), signed(m.valueDelta()),
                    signed(m.churnDelta()), signed(m.creditDelta()), factorsText(m), day(m.current()), day(m.candidate())));
        }
        return b.toString();
    }

    String day(CustomerSegment s) {
        return SegmentHistory.evaluatedDay(s, zone).toString();
    }

    static String factorsText(Mover m) {
        StringBuilder b = new StringBuilder();
        for (FactorChange f : m.factors()) {
            if (!b.isEmpty()) {
                b.append("; ");
            }
            b.append(f.score()).append(' ').append(f.name()).append(' ').append(signed(f.delta()));
        }
        return b.toString();
    }

    /** Writes report.txt, report.html and the CSV files into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(TEXT_FILE), text(), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(HTML_FILE), BacktestHtml.render(this), StandardCharsets.UTF_8);
        StringBuilder mig = new StringBuilder("month,dimension,current,candidate,customers\n");
        for (Map.Entry<YearMonth, Map<Dimension, Migration>> e : byMonth.entrySet()) {
            for (Migration m : e.getValue().values()) {
                m.counts().forEach((from, row) -> row.forEach((to, n) -> {
                    if (n > 0) {
                        mig.append(e.getKey()).append(',').append(m.dimension().name()).append(',').append(from).append(',')
                                .append(to).append(',').append(n).append('\n');
                    }
                }));
            }
        }
        Files.writeString(dir.resolve("migrations-by-month.csv"), mig, StandardCharsets.UTF_8);
        StringBuilder al = new StringBuilder("month,type,current,candidate\n");
        for (YearMonth month : months) {
            for (AlertType t : AlertType.values()) {
                al.append(month).append(',').append(t).append(',').append(alerts(month, t, 0)).append(',')
                        .append(alerts(month, t, 1)).append('\n');
            }
        }
        Files.writeString(dir.resolve("alerts-by-month.csv"), al, StandardCharsets.UTF_8);
        StringBuilder mv = new StringBuilder("customerId,valueTier,candidateValueTier,churnRisk,candidateChurnRisk,"
                + "creditRating,candidateCreditRating,valueChange,churnChange,creditChange,factors,currentDay,candidateDay\n");
        for (Mover m : movers) {
            mv.append(m.customerId()).append(',').append(m.current().getValueTier()).append(',').append(m.candidate().getValueTier())
                    .append(',').append(m.current().getChurnRisk()).append(',').append(m.candidate().getChurnRisk()).append(',')
                    .append(m.current().getCreditRating()).append(',').append(m.candidate().getCreditRating()).append(',')
                    .append(signed(m.valueDelta())).append(',').append(signed(m.churnDelta())).append(',')
                    .append(signed(m.creditDelta())).append(",\"").append(factorsText(m)).append("\",").append(day(m.current()))
                    .append(',').append(day(m.candidate())).append('\n');
        }
        Files.writeString(dir.resolve("movers.csv"), mv, StandardCharsets.UTF_8);
    }
}
