package io.gridtier.backtest;

import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BacktestReportTest {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

    private static CustomerSegment segment(String id, String day, ValueTier tier, ChurnRisk risk, double churn, String version) {
        Instant asOf = LocalDate.parse(day).plusDays(1).atStartOfDay(ZONE).toInstant();
        return CustomerSegment.newBuilder().setCustomerId(id).setCategory(CustomerCategory.RESIDENTIAL).setValueTier(tier)
                .setValueScore(40).setPotentialKeyAccount(false).setChurnRisk(risk).setChurnScore(churn)
                .setCreditRating(CreditRating.A).setCreditScore(90)
                .setFactors(new ArrayList<>(List.of(new Factor(ScoreKind.CHURN, "consumptionDrop", 0.3, churn, "fell 30%"),
                        new Factor(ScoreKind.VALUE, "annualConsumption", 1e6, 40.0, "1 GWh"))))
                .setRecommendedActions(List.of()).setTierSince(asOf).setModelVersion(version).setAsOf(asOf).build();
    }

    private static SegmentAlert alert(CustomerSegment s, AlertType type) {
        return SegmentAlert.newBuilder().setAlertId(s.getCustomerId() + type).setCustomerId(s.getCustomerId()).setType(type)
                .setPrevious("LOW").setCurrent("HIGH").setSegment(s).setRecommendedAction("call").setModelVersion(s.getModelVersion())
                .setEventTime(s.getAsOf()).build();
    }

    @Test
    void migrationsAlertVolumesAndMoversCompareTheTwoRunsMonthByMonth(@TempDir Path dir) throws Exception {
        // C1 is HIGH churn under the candidate from March; C2 does not change; C3 is segmented by the candidate only
        CustomerSegment a1 = segment("C1", "2024-01-10", ValueTier.STANDARD, ChurnRisk.LOW, 10, "cur");
        CustomerSegment a2 = segment("C2", "2024-01-10", ValueTier.KEY_ACCOUNT, ChurnRisk.LOW, 5, "cur");
        CustomerSegment b1 = segment("C1", "2024-01-10", ValueTier.STANDARD, ChurnRisk.LOW, 12, "cand");
        CustomerSegment b1later = segment("C1", "2024-03-05", ValueTier.STANDARD, ChurnRisk.HIGH, 70, "cand");
        CustomerSegment b2 = segment("C2", "2024-01-10", ValueTier.KEY_ACCOUNT, ChurnRisk.LOW, 5, "cand");
        CustomerSegment b3 = segment("C3", "2024-02-20", ValueTier.LOW_VALUE, ChurnRisk.LOW, 0, "cand");
        BacktestReport.Run current = new BacktestReport.Run("cur", SegmentHistory.of(List.of(a1, a2)), List.of());
        BacktestReport.Run candidate = new BacktestReport.Run("cand", SegmentHistory.of(List.of(b1, b1later, b2, b3)),
                List.of(alert(b1later, AlertType.CHURN_RISK_RAISED)));

        BacktestReport r = new BacktestReport("events.jsonl", current, candidate, ZONE, 10, 3.0);

        assertThat(r.months()).containsExactly(YearMonth.of(2024, 1), YearMonth.of(2024, 2), YearMonth.of(2024, 3));
        Migration churnAtEnd = r.atEnd(Dimension.CHURN_RISK);
        assertThat(churnAtEnd.count("LOW", "HIGH")).isEqualTo(1);
        assertThat(churnAtEnd.count("LOW", "LOW")).isEqualTo(1);
        assertThat(churnAtEnd.count(Dimension.NONE, "LOW")).as("C3, segmented by the candidate only").isEqualTo(1);
        assertThat(churnAtEnd.moved()).isEqualTo(2);
        assertThat(r.atEnd(Dimension.VALUE_TIER).count("KEY_ACCOUNT", "KEY_ACCOUNT")).isEqualTo(1);
        assertThat(r.byMonth().get(YearMonth.of(2024, 1)).get(Dimension.CHURN_RISK).moved()).isZero();
        assertThat(r.byMonth().get(YearMonth.of(2024, 2)).get(Dimension.CHURN_RISK).moved()).as("C3 appears").isEqualTo(1);
        assertThat(r.byMonth().get(YearMonth.of(2024, 3)).get(Dimension.CHURN_RISK).moved()).isEqualTo(2);
        assertThat(r.alerts(YearMonth.of(2024, 3), AlertType.CHURN_RISK_RAISED, 1)).isEqualTo(1);
        assertThat(r.alerts(YearMonth.of(2024, 3), AlertType.CHURN_RISK_RAISED, 0)).isZero();
        assertThat(r.alertsOfType(AlertType.CHURN_RISK_RAISED, 1)).isEqualTo(1);

        assertThat(r.movers()).extracting(BacktestReport.Mover::customerId).containsExactly("C1");
        BacktestReport.Mover m = r.movers().get(0);
        assertThat(m.churnDelta()).isEqualTo(60.0);
        assertThat(m.factors()).singleElement().satisfies(f -> {
            assertThat(f.name()).isEqualTo("consumptionDrop");
            assertThat(f.delta()).isEqualTo(60.0);
        });

        r.write(dir);
        assertThat(Files.readString(dir.resolve("report.txt"))).contains("churn risk: 2 customers move")
                .contains("C1").contains("CHURN consumptionDrop +60.00").contains("2024-01-10 / 2024-03-05");
        assertThat(Files.readAllLines(dir.resolve("migrations-by-month.csv")))
                .contains("2024-03,CHURN_RISK,LOW,HIGH,1", "2024-02,CHURN_RISK,none,LOW,1");
        assertThat(Files.readAllLines(dir.resolve("alerts-by-month.csv"))).contains("2024-03,CHURN_RISK_RAISED,0,1");
        String html = Files.readString(dir.resolve("report.html"));
        assertThat(html).startsWith("<!DOCTYPE html>").contains("What would cand change?").contains("<svg")
                .doesNotContain("http://").doesNotContain("https://").doesNotContain("<script");
    }
}
