package io.gridtier.evaluation;

import io.gridtier.model.ModelConfig;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ValueTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.gridtier.evaluation.Segments.ZONE;
import static io.gridtier.evaluation.Segments.segment;
import static org.assertj.core.api.Assertions.assertThat;

class PredictionTest {
    static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    static final ModelConfig MODEL = ModelConfig.load(CONFIG_DIR.resolve("model/gridtier-model-v1.yaml"));
    private static final LocalDate DAY = LocalDate.parse("2024-06-01");

    @ParameterizedTest(name = "{0} {1} flagged: {2}")
    @CsvSource({
        // the thresholds are the model file's: churnElevated.enter, credit.ratingB, KEY_ACCOUNT.enter
        "CHURN_SCORE,  enter - 0.01, false",
        "CHURN_SCORE,  enter,        true",
        "CREDIT_SCORE, ratingB,      false",
        "CREDIT_SCORE, ratingB - 0.01, true",
        "VALUE_SCORE,  keyEnter - 0.01, false",
        "VALUE_SCORE,  keyEnter,     true",
    })
    void aScoreIsFlaggedFromTheModelsAlertThresholdOn(Prediction p, String at, boolean flagged) {
        double value = value(at);
        CustomerSegment s = segment("C1", DAY).setChurnScore(value).setCreditScore(value).setValueScore(value).build();
        assertThat(p.flagged(s, MODEL)).isEqualTo(flagged);
    }

    private static double value(String at) {
        String[] f = at.split(" - ");
        double base = switch (f[0].trim()) {
            case "enter" -> MODEL.tiers().churnElevated().enter();
            case "ratingB" -> MODEL.credit().ratingB();
            case "keyEnter" -> MODEL.tiers().keyAccount().enter();
            default -> throw new IllegalArgumentException(at);
        };
        return f.length == 1 ? base : base - Double.parseDouble(f[1]);
    }

    @Test
    void precisionAndRecallAreCountedAtTheChurnThreshold() {
        double enter = MODEL.tiers().churnElevated().enter();
        // C1 flagged and churned, C2 flagged and stayed, C3 not flagged and churned, C4 neither
        SegmentHistory history = SegmentHistory.of(List.of(
                segment("C1", DAY).setChurnScore(enter + 20).build(),
                segment("C2", DAY).setChurnScore(enter).build(),
                segment("C3", DAY).setChurnScore(enter - 1).build(),
                segment("C4", DAY).setChurnScore(0).build()));
        List<Outcome> outcomes = List.of(new Outcome("C1", Outcome.Kind.CHURNED, DAY.plusDays(5)),
                new Outcome("C3", Outcome.Kind.CHURNED, DAY.plusDays(5)));
        ScoreMeasurement m = ScoreMeasurement.of(Prediction.CHURN_SCORE, history, outcomes, MODEL, ZONE);
        assertThat(m.alerts()).isEqualTo(new AlertCounts(1, 1, 1, 1));
        assertThat(m.alerts().precision()).isEqualTo(0.5);
        assertThat(m.alerts().recall()).isEqualTo(0.5);
        assertThat(m.auc()).isEqualTo(0.75); // C1 above both, C3 above C4 only
    }

    @Test
    void onlyCustomersWhoCanBecomeKeyAccountsAreMeasuredForIt() {
        List<CustomerSegment> segments = new ArrayList<>();
        segments.add(segment("C1", DAY).setValueScore(80).build());
        segments.add(segment("C2", DAY).setValueScore(20).build());
        segments.add(segment("H1", DAY).setCategory(CustomerCategory.RESIDENTIAL).setValueScore(90).build());
        segments.add(segment("K1", DAY).setValueTier(ValueTier.KEY_ACCOUNT).setValueScore(95).build());
        List<Outcome> outcomes = List.of(new Outcome("C1", Outcome.Kind.BECAME_KEY_ACCOUNT, DAY.plusDays(30)));
        ScoreMeasurement m = ScoreMeasurement.of(Prediction.VALUE_SCORE, SegmentHistory.of(segments), outcomes, MODEL, ZONE);
        assertThat(m.customers()).isEqualTo(2);
        assertThat(m.cannotReach()).as("a household and a customer already a key account").isEqualTo(2);
        assertThat(m.auc()).isEqualTo(1.0);
    }

    @Test
    void aLowerCreditScoreAndAWorseRatingRankAsRiskier() {
        SegmentHistory history = SegmentHistory.of(List.of(
                segment("C1", DAY).setCreditScore(30).setCreditRating(CreditRating.C).build(),
                segment("C2", DAY).setCreditScore(95).setCreditRating(CreditRating.A).build(),
                segment("C3", DAY).setCreditScore(80).setCreditRating(CreditRating.B).build()));
        List<Outcome> outcomes = List.of(new Outcome("C1", Outcome.Kind.DEFAULTED, DAY.plusDays(10)));
        assertThat(ScoreMeasurement.of(Prediction.CREDIT_SCORE, history, outcomes, MODEL, ZONE).auc()).isEqualTo(1.0);
        ScoreMeasurement rating = ScoreMeasurement.of(Prediction.CREDIT_RATING, history, outcomes, MODEL, ZONE);
        assertThat(rating.auc()).isEqualTo(1.0);
        assertThat(rating.calibration().rows()).extracting(CalibrationTable.Row::band).containsExactly("A", "B", "C");
    }
}
