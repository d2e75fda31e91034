package io.gridtier.generator;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.SegmentAlert;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Scores a replay's alerts against the generator's ground truth, per customer: KEY_ACCOUNT_ENTERED against
 * GROWER customers and CHURN_RISK_RAISED against CHURNER customers.
 *
 * <p>A grower (churner) counts as alerted when it has at least one such alert from 30 days before its
 * changeStart on; earlier alerts cannot be about the scripted change. Every other customer counts as alerted
 * by any such alert, since for it any alert is a false alarm. Alerts before {@code countFrom}, when given, are
 * ignored for everyone, so that alerts raised while the engine warms up (key accounts exist from the start)
 * can be left out. Precision = correctly alerted / all alerted customers; recall = correctly alerted / all
 * customers of the trajectory; NaN when the denominator is zero. Customers missing from the ground truth
 * count as false alarms.
 */
public final class AlertEvaluation {
    /** How long before its scripted change a customer may already be alerted for it. */
    public static final int LEAD_DAYS = 30;

    /** Precision and recall of one alert type against one trajectory. */
    public record Score(AlertType alertType, Trajectory trajectory, int trueCustomers, int alertedCustomers,
                        int correctlyAlerted, List<String> missed, List<String> falseAlarms) {
        public Score {
            missed = List.copyOf(missed);
            falseAlarms = List.copyOf(falseAlarms);
        }

        public double precision() {
            return alertedCustomers == 0 ? Double.NaN : correctlyAlerted / (double) alertedCustomers;
        }

        public double recall() {
            return trueCustomers == 0 ? Double.NaN : correctlyAlerted / (double) trueCustomers;
        }
    }

    /** Both scores, and how many alerts were read. */
    public record Result(Score keyAccount, Score churn, int alertsRead) {
        public void print(PrintStream out) {
            out.printf("%-40s%8s%9s%9s%11s%8s%n", "Alerts against ground truth (customers)", "truth", "alerted",
                    "correct", "precision", "recall");
            for (Score s : List.of(keyAccount, churn)) {
                out.printf("%-40s%8d%9d%9d%11s%8s%n", s.alertType() + " vs " + s.trajectory(), s.trueCustomers(),
                        s.alertedCustomers(), s.correctlyAlerted(), ratio(s.precision()), ratio(s.recall()));
            }
            for (Score s : List.of(keyAccount, churn)) {
                out.println(listed("missed " + s.trajectory() + " customers", s.missed()));
                out.println(listed("false " + s.alertType() + " alarms", s.falseAlarms()));
            }
            out.printf("%,d alerts read.%n", alertsRead);
        }

        private static String ratio(double value) {
            return Double.isNaN(value) ? "n/a" : String.format("%.3f", value);
        }

        private static String listed(String what, List<String> ids) {
            int shown = Math.min(10, ids.size());
            return String.format("%s (%d): %s%s", what, ids.size(), String.join(" ", ids.subList(0, shown)),
                    ids.size() > shown ? " ..." : "");
        }
    }

    private AlertEvaluation() {
    }

    /** Reads {@code ground-truth.csv} and {@code alerts.jsonl} and scores them. */
    public static Result evaluate(Path groundTruth, Path alerts, ZoneId zone, Instant countFrom) throws IOException {
        return evaluate(GroundTruth.read(groundTruth), readAlerts(alerts), zone, countFrom);
    }

    /** @param countFrom ignore alerts before this instant; null to count them all */
    public static Result evaluate(List<GroundTruth> truth, List<SegmentAlert> alerts, ZoneId zone, Instant countFrom) {
        Map<String, GroundTruth> byCustomer = new HashMap<>();
        for (GroundTruth row : truth) {
            byCustomer.put(row.customerId(), row);
        }
        return new Result(
                score(AlertType.KEY_ACCOUNT_ENTERED, Trajectory.GROWER, truth, byCustomer, alerts, zone, countFrom),
                score(AlertType.CHURN_RISK_RAISED, Trajectory.CHURNER, truth, byCustomer, alerts, zone, countFrom),
                alerts.size());
    }

    private static Score score(AlertType type, Trajectory trajectory, List<GroundTruth> truth,
                               Map<String, GroundTruth> byCustomer, List<SegmentAlert> alerts, ZoneId zone,
                               Instant countFrom) {
        TreeSet<String> alerted = new TreeSet<>();
        for (SegmentAlert alert : alerts) {
            if (alert.getType() != type) {
                continue;
            }
            Instant at = alert.getEventTime();
            if (countFrom != null && at.isBefore(countFrom)) {
                continue;
            }
            GroundTruth row = byCustomer.get(alert.getCustomerId());
            if (row != null && row.trajectory() == trajectory && row.changeStart() != null
                    && at.isBefore(row.changeStart().minusDays(LEAD_DAYS).atStartOfDay(zone).toInstant())) {
                continue;
            }
            alerted.add(alert.getCustomerId());
        }
        List<String> missed = new ArrayList<>();
        int trueCustomers = 0;
        int correct = 0;
        for (GroundTruth row : truth) {
            if (row.trajectory() == trajectory) {
                trueCustomers++;
                if (alerted.contains(row.customerId())) {
                    correct++;
                } else {
                    missed.add(row.customerId());
                }
            }
        }
        List<String> falseAlarms = new ArrayList<>();
        for (String customerId : alerted) {
            GroundTruth row = byCustomer.get(customerId);
            if (row == null || row.trajectory() != trajectory) {
                falseAlarms.add(customerId);
            }
        }
        missed.sort(null);
        return new Score(type, trajectory, trueCustomers, alerted.size(), correct, missed, falseAlarms);
    }

    /**
     * The alerts of a replay's {@code alerts.jsonl}. Output lines carry no record name (a SegmentAlert's own
     * {@code type} field is the alert type), so every line is read as a SegmentAlert; one that does not decode
     * is an error naming the line.
     */
    public static List<SegmentAlert> readAlerts(Path file) throws IOException {
        JsonLineCodec codec = new JsonLineCodec(GeneratorOptions.DEFAULT_ZONE);
        List<SegmentAlert> alerts = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    alerts.add((SegmentAlert) codec.decode(line, SegmentAlert.getClassSchema()));
                } catch (BadRecordException e) {
                    throw new IOException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        }
        return alerts;
    }
}
