package io.gridtier.generator;

import io.gridtier.cli.GridTier;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.junit.jupiter.api.BeforeEach;
import picocli.CommandLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AlertEvaluationTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    private static final JsonLineCodec CODEC = new JsonLineCodec(SHANGHAI);

    @TempDir
    Path dir;
    Path truth;
    Path alerts;

    @BeforeEach
    void writeFiles() throws IOException {
        truth = dir.resolve("ground-truth.csv");
        Files.writeString(truth, String.join("\n",
                "customerId,category,trajectory,changeStart",
                "C1,GENERAL_INDUSTRIAL_COMMERCIAL,GROWER,2025-02-01",
                "C2,GENERAL_INDUSTRIAL_COMMERCIAL,GROWER,2025-03-01",
                "C3,LARGE_INDUSTRIAL,GROWER,2025-01-15",
                "C4,RESIDENTIAL,CHURNER,2025-06-01",
                "C5,RESIDENTIAL,CHURNER,2025-07-01",
                "C6,RESIDENTIAL,STABLE,",
                "C7,LARGE_INDUSTRIAL,STABLE,",
                "C8,GENERAL_INDUSTRIAL_COMMERCIAL,DEFAULTER,2025-04-01",
                ""));
        List<String> lines = new ArrayList<>();
        // growers: C1 alerted twice (counts once); C2 only 45 days before its change (too early: missed);
        // C3 exactly 30 days before its change (counts)
        lines.add(alert("C1", AlertType.KEY_ACCOUNT_ENTERED, "2025-03-10T00:00:00+08:00"));
        lines.add(alert("C1", AlertType.KEY_ACCOUNT_ENTERED, "2025-04-01T00:00:00+08:00"));
        lines.add(alert("C2", AlertType.KEY_ACCOUNT_ENTERED, "2025-01-15T00:00:00+08:00"));
        lines.add(alert("C3", AlertType.KEY_ACCOUNT_ENTERED, "2024-12-16T00:00:00+08:00"));
        // false key-account alarms: a stable customer early on, and a customer the ground truth does not know
        lines.add(alert("C7", AlertType.KEY_ACCOUNT_ENTERED, "2024-02-01T00:00:00+08:00"));
        lines.add(alert("C9", AlertType.KEY_ACCOUNT_ENTERED, "2025-05-01T00:00:00+08:00"));
        // churn: C4 caught, C5 missed, the defaulter C8 is a false alarm
        lines.add(alert("C4", AlertType.CHURN_RISK_RAISED, "2025-06-20T00:00:00+08:00"));
        lines.add(alert("C8", AlertType.CHURN_RISK_RAISED, "2025-05-01T00:00:00+08:00"));
        // other alert types do not count
        lines.add(alert("C5", AlertType.CHURN_RISK_CLEARED, "2025-08-01T00:00:00+08:00"));
        lines.add(alert("C6", AlertType.POTENTIAL_KEY_ACCOUNT_IDENTIFIED, "2025-08-01T00:00:00+08:00"));
        alerts = dir.resolve("alerts.jsonl");
        Files.writeString(alerts, String.join("\n", lines) + "\n");
    }

    @Test
    void scoresKeyAccountAlertsAgainstGrowersPerCustomer() throws IOException {
        AlertEvaluation.Result result = AlertEvaluation.evaluate(truth, alerts, SHANGHAI, null);
        AlertEvaluation.Score keyAccount = result.keyAccount();
        assertThat(keyAccount.trueCustomers()).isEqualTo(3);
        assertThat(keyAccount.alertedCustomers()).isEqualTo(4);
        assertThat(keyAccount.correctlyAlerted()).isEqualTo(2);
        assertThat(keyAccount.precision()).isEqualTo(0.5);
        assertThat(keyAccount.recall()).isEqualTo(2.0 / 3.0);
        assertThat(keyAccount.missed()).containsExactly("C2");
        assertThat(keyAccount.falseAlarms()).containsExactly("C7", "C9");
        assertThat(result.alertsRead()).isEqualTo(10);
    }

    @Test
    void scoresChurnAlertsAgainstChurnersPerCustomer() throws IOException {
        AlertEvaluation.Score churn = AlertEvaluation.evaluate(truth, alerts, SHANGHAI, null).churn();
        assertThat(churn.trueCustomers()).isEqualTo(2);
        assertThat(churn.alertedCustomers()).isEqualTo(2);
        assertThat(churn.correctlyAlerted()).isEqualTo(1);
        assertThat(churn.precision()).isEqualTo(0.5);
        assertThat(churn.recall()).isEqualTo(0.5);
        assertThat(churn.missed()).containsExactly("C5");
        assertThat(churn.falseAlarms()).containsExactly("C8");
    }

    @Test
    void ignoresAlertsBeforeTheWarmUpEndsWhenAsked() throws IOException {
        Instant warmUpEnd = OffsetDateTime.parse("2024-06-01T00:00:00+08:00").toInstant();
        AlertEvaluation.Score keyAccount = AlertEvaluation.evaluate(truth, alerts, SHANGHAI, warmUpEnd).keyAccount();
        assertThat(keyAccount.alertedCustomers()).isEqualTo(3);
        assertThat(keyAccount.precision()).isEqualTo(2.0 / 3.0);
        assertThat(keyAccount.recall()).isEqualTo(2.0 / 3.0);
    }

    @Test
    void precisionIsUndefinedWhenNothingIsAlerted() throws IOException {
        Files.writeString(alerts, "");
        AlertEvaluation.Result result = AlertEvaluation.evaluate(truth, alerts, SHANGHAI, null);
        assertThat(result.keyAccount().precision()).isNaN();
        assertThat(result.keyAccount().recall()).isZero();
    }

    @Test
    void namesTheLineThatDoesNotDecode() throws IOException {
        Files.writeString(alerts, alert("C1", AlertType.KEY_ACCOUNT_ENTERED, "2025-03-10T00:00:00+08:00")
                + "\n{\"type\":\"SegmentAlert\",\n");
        assertThatThrownBy(() -> AlertEvaluation.evaluate(truth, alerts, SHANGHAI, null))
                .isInstanceOf(IOException.class).hasMessageContaining("line 2");
    }

    @Test
    void commandPrintsATableAndRejectsMissingFiles() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = GridTier.commandLine(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        int code = cli.execute("evaluate", "--truth", truth.toString(), "--alerts", alerts.toString(),
                "--from", "2024-06-01");
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("KEY_ACCOUNT_ENTERED vs GROWER").contains("0.667").contains("CHURN_RISK_RAISED vs CHURNER");

        int missing = cli.execute("evaluate", "--truth", truth.toString());
        assertThat(missing).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("Missing required option: '--alerts=alerts.jsonl'");
    }

    private static String alert(String customerId, AlertType type, String eventTime) {
        Instant at = OffsetDateTime.parse(eventTime).toInstant();
        CustomerSegment segment = CustomerSegment.newBuilder()
                .setCustomerId(customerId)
                .setCategory(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL)
                .setValueTier(ValueTier.KEY_ACCOUNT)
                .setValueScore(80.0)
                .setPotentialKeyAccount(false)
                .setChurnRisk(ChurnRisk.LOW)
                .setChurnScore(10.0)
                .setCreditRating(CreditRating.A)
                .setCreditScore(95.0)
                .setFactors(List.of())
                .setRecommendedActions(List.of("Assign an account manager"))
                .setTierSince(at)
                .setModelVersion("test")
                .setAsOf(at)
                .build();
        SegmentAlert alert = SegmentAlert.newBuilder()
                .setAlertId(customerId + "-" + type + "-" + at.toEpochMilli())
                .setCustomerId(customerId)
                .setType(type)
                .setPrevious("HIGH_VALUE")
                .setCurrent("KEY_ACCOUNT")
                .setSegment(segment)
                .setRecommendedAction("Assign an account manager")
                .setModelVersion("test")
                .setEventTime(at)
                .build();
        return CODEC.encode(alert);
    }
}
