package io.gridtier.evaluation;

import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ValueTier;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/** Segments for tests: a customer's segment evaluating a given local day, with the scores a test sets. */
final class Segments {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final String VERSION = "gridtier-model-1.1";

    private Segments() {
    }

    static CustomerSegment.Builder segment(String customerId, LocalDate evaluatedDay) {
        Instant asOf = evaluatedDay.plusDays(1).atStartOfDay(ZONE).toInstant();
        return CustomerSegment.newBuilder()
                .setCustomerId(customerId)
                .setCategory(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL)
                .setValueTier(ValueTier.STANDARD)
                .setValueScore(40)
                .setPotentialKeyAccount(false)
                .setChurnRisk(ChurnRisk.LOW)
                .setChurnScore(10)
                .setCreditRating(CreditRating.A)
                .setCreditScore(95)
                .setFactors(new ArrayList<>())
                .setRecommendedActions(List.of())
                .setTierSince(asOf)
                .setModelVersion(VERSION)
                .setAsOf(asOf);
    }

    static Factor churnFactor(String name, double contribution) {
        return new Factor(io.gridtier.schema.ScoreKind.CHURN, name, 0.0, contribution, "");
    }
}
