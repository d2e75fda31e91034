package io.gridtier.model;

import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.LedgerPosition;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.Factor;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.UsageProfile;
import io.gridtier.schema.ValueTier;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * GridTier's segmentation model: from a customer's state at a moment to its value, credit and churn
 * scorecards, its tier and flags (through the {@link TierPolicy}), the playbook's actions and the
 * alerts for every threshold crossed. Pure Java: no Flink, no I/O, deterministic.
 */
public final class SegmentationModel implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ModelConfig config;
    private final ZoneId zone;

    public SegmentationModel(ModelConfig config, ZoneId zone) {
        this.config = Objects.requireNonNull(config, "config");
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    public ModelConfig config() {
        return config;
    }

    public String version() {
        return config.version();
    }

    /**
     * Evaluates a customer at event time {@code asOf}, counting only what had happened by then.
     * Updates {@code memory} in place (tiers in force, since when, what was written out).
     *
     * @return null when no profile is in force at {@code asOf}: without a category the customer
     *         cannot be compared with its peers, so it is not segmented yet
     */
    public Evaluation evaluate(String customerId, ConsumptionHistory consumption, BillingLedger ledger,
                               ProfileHistory profiles, SegmentMemory memory, long asOf) {
        ProfileVersion profile = profiles == null ? null : profiles.at(asOf);
        if (profile == null) {
            return null;
        }
        LocalDate date = Instant.ofEpochMilli(asOf - 1).atZone(zone).toLocalDate();
        int asOfDay = (int) date.toEpochDay();
        int asOfMonth = date.getYear() * 12 + date.getMonthValue() - 1;

        ConsumptionFigures use = ConsumptionFigures.of(consumption, asOfDay, asOfMonth, config.value(),
                config.churn().consumptionDrop(), config.churn().meterSilence(),
                config.reference(profile.category).referenceAnnualKwh());
        LedgerPosition position = (ledger == null ? new BillingLedger() : ledger).positionAt(asOf, zone,
                config.credit().lateBills().window(), config.churn().latePayments().window());
        double tenureYears = Math.max(0, asOfDay - profile.accountOpenedDay) / 365.25;

        Scorecard credit = CreditScorecard.score(config.credit(), position);
        Scorecard value = ValueScorecard.score(config, profile, use, position, credit.score(), tenureYears);
        Scorecard churn = ChurnScorecard.score(config.churn(), config.credit(), profile, use, position, asOfDay, tenureYears);

        boolean first = memory.isFirstEvaluation();
        if (first) {
            memory.firstEvaluatedAt = asOf;
        }
        boolean wasSettled = memory.settled;
        boolean free = !wasSettled;
        ModelConfig.Tiers t = config.tiers();
        ModelConfig.CategoryReference floor = config.reference(profile.category);
        boolean eligible = floor.keyAccountEligible(use.annualKwh())
                || (memory.valueTier == ValueTier.KEY_ACCOUNT && floor.keyAccountMinAnnualKwh() >= 0
                && use.annualKwh() >= floor.keyAccountMinAnnualKwh() * t.keyAccountFloorExitShare());

        ValueTier tier = TierPolicy.valueTier(t, memory.valueTier, memory.tierSince, value.score(), eligible, asOf, free);
        ChurnRisk risk = TierPolicy.churnRisk(t, memory.churnRisk, memory.churnSince, churn.score(), asOf, free);
        String override = CreditScorecard.hardOverride(config.credit(), position, profile);
        CreditRating rating = TierPolicy.creditRating(config.credit(), memory.creditRating, memory.creditSince,
                credit.score(), override, asOf, free);
        double currentShare = value.pointsOf(ValueScorecard.CURRENT) / config.value().currentValueMax();
        double potentialShare = config.value().growth().points() == 0 ? 0
                : value.pointsOf(ValueScorecard.POTENTIAL) / config.value().growth().points();
        ModelConfig.CategoryReference ref = config.reference(profile.category);
        double projected = use.annualKwh() * (1 + (Double.isNaN(use.growth()) ? 0 : Math.max(0, use.growth())));
        boolean onCourse = ref.keyAccountMinAnnualKwh() >= 0 && projected >= ref.keyAccountMinAnnualKwh();
        boolean potential = TierPolicy.potentialKeyAccount(t, memory.potentialKeyAccount, memory.potentialSince, tier,
                currentShare, potentialShare, onCourse, asOf, free);

        ValueTier previousTier = memory.valueTier;
        ChurnRisk previousRisk = memory.churnRisk;
        CreditRating previousRating = memory.creditRating;
        boolean previousPotential = memory.potentialKeyAccount;
        if (tier != previousTier) {
            memory.valueTier = tier;
            memory.tierSince = asOf;
        }
        if (risk != previousRisk) {
            memory.churnRisk = risk;
            memory.churnSince = asOf;
        }
        if (rating != previousRating) {
            memory.creditRating = rating;
            memory.creditSince = asOf;
        }
        if (potential != previousPotential) {
            memory.potentialKeyAccount = potential;
            memory.potentialSince = asOf;
        }
        memory.settled = asOf - memory.firstEvaluatedAt >= t.warmUpDays() * TierPolicy.DAY_MS;
        memory.evaluatedAt = asOf;
        if (profile.status == CustomerStatus.CLOSED) {
            if (memory.closedOnDay == Integer.MIN_VALUE) {
                memory.closedOnDay = asOfDay;
            }
        } else {
            memory.closedOnDay = Integer.MIN_VALUE;
        }

        List<String> actions = Playbook.actions(config, tier, potential, risk, rating);
        UsageProfile usage = usageProfile(use.annualKwh(), profile);
        long tierSince = memory.tierSince;
        java.util.function.Supplier<CustomerSegment> segment = memoize(() -> CustomerSegment.newBuilder()
                .setCustomerId(customerId)
                .setCategory(profile.category)
                .setValueTier(tier)
                .setValueScore(value.score())
                .setPotentialKeyAccount(potential)
                .setChurnRisk(risk)
                .setChurnScore(churn.score())
                .setCreditRating(rating)
                .setCreditScore(credit.score())
                .setFactors(factors(value, churn, credit))
                .setRecommendedActions(actions)
                .setTierSince(Instant.ofEpochMilli(tierSince))
                .setModelVersion(config.version())
                .setAsOf(Instant.ofEpochMilli(asOf))
                .setUsageProfile(usage)
                .setPeakShare(nanToNull(use.peakShare()))
                .setFlatShare(nanToNull(use.flatShare()))
                .setValleyShare(nanToNull(use.valleyShare()))
                .build());

        List<SegmentAlert> alerts = new ArrayList<>(2);
        if (wasSettled) {
            if (tier != previousTier && (tier == ValueTier.KEY_ACCOUNT || previousTier == ValueTier.KEY_ACCOUNT)) {
                alerts.add(alert(tier == ValueTier.KEY_ACCOUNT ? AlertType.KEY_ACCOUNT_ENTERED : AlertType.KEY_ACCOUNT_EXITED,
                        previousTier.name(), tier.name(), segment, customerId, asOf));
            }
            if (potential && !previousPotential) {
                alerts.add(alert(AlertType.POTENTIAL_KEY_ACCOUNT_IDENTIFIED, "false", "true", segment, customerId, asOf));
            }
            if (risk != previousRisk) {
                if (TierPolicy.rank(risk) > TierPolicy.rank(previousRisk)) {
                    alerts.add(alert(AlertType.CHURN_RISK_RAISED, previousRisk.name(), risk.name(), segment, customerId, asOf));
                } else if (risk == ChurnRisk.LOW) {
                    alerts.add(alert(AlertType.CHURN_RISK_CLEARED, previousRisk.name(), risk.name(), segment, customerId, asOf));
                }
            }
            if (rating != previousRating) {
                alerts.add(alert(TierPolicy.rank(rating) < TierPolicy.rank(previousRating)
                        ? AlertType.CREDIT_DOWNGRADED : AlertType.CREDIT_UPGRADED, previousRating.name(), rating.name(),
                        segment, customerId, asOf));
            }
        }

        // the version too: the first evaluation under a newly pushed model is written out, naming it
        int shape = Objects.hash(profile.category, actions, usage, config.version());
        boolean emit = first || tier != previousTier || risk != previousRisk || rating != previousRating
                || potential != previousPotential
                || shape != memory.emittedShapeHash
                || moved(memory.emittedValueScore, value.score())
                || moved(memory.emittedChurnScore, churn.score())
                || moved(memory.emittedCreditScore, credit.score())
                || asOf - memory.emittedAt >= config.emission().refreshDays() * TierPolicy.DAY_MS;
        if (emit) {
            memory.emittedValueScore = value.score();
            memory.emittedChurnScore = churn.score();
            memory.emittedCreditScore = credit.score();
            memory.emittedAt = asOf;
            memory.emittedShapeHash = shape;
        }
        return new Evaluation(segment, emit, alerts);
    }

    private static List<Factor> factors(Scorecard value, Scorecard churn, Scorecard credit) {
        List<Factor> factors = new ArrayList<>(value.size() + churn.size() + credit.size());
        factors.addAll(value.factors());
        factors.addAll(churn.factors());
        factors.addAll(credit.factors());
        return factors;
    }

    private boolean moved(double emitted, double now) {
        return Double.isNaN(emitted) || Math.abs(now - emitted) >= config.emission().materialChangePoints();
    }

    private UsageProfile usageProfile(double annualKwh, ProfileVersion profile) {
        double ratio = annualKwh / config.reference(profile.category).referenceAnnualKwh();
        ModelConfig.UsageProfileRule rule = config.value().usageProfile();
        return ratio >= rule.highAtMultiple() ? UsageProfile.HIGH_CONSUMPTION
                : ratio < rule.lowBelowMultiple() ? UsageProfile.LOW_CONSUMPTION : UsageProfile.GENERAL;
    }

    private SegmentAlert alert(AlertType type, String previous, String current,
                               java.util.function.Supplier<CustomerSegment> segment, String customerId, long asOf) {
        return SegmentAlert.newBuilder()
                .setAlertId(alertId(customerId, type, previous, current, asOf))
                .setCustomerId(customerId)
                .setType(type)
                .setPrevious(previous)
                .setCurrent(current)
                .setSegment(segment.get())
                .setRecommendedAction(Playbook.forAlert(config, type, current))
                .setModelVersion(config.version())
                .setEventTime(Instant.ofEpochMilli(asOf))
                .build();
    }

    /** Deterministic: the same customer, crossing and evaluation time always give the same id. */
    static String alertId(String customerId, AlertType type, String previous, String current, long asOf) {
        String key = customerId + '|' + type + '|' + previous + '|' + current + '|' + asOf;
        return UUID.nameUUIDFromBytes(key.getBytes(StandardCharsets.UTF_8)).toString();
    }

    private static <T> java.util.function.Supplier<T> memoize(java.util.function.Supplier<T> build) {
        Object[] held = new Object[1];
        return () -> {
            if (held[0] == null) {
                held[0] = build.get();
            }
            @SuppressWarnings("unchecked")
            T t = (T) held[0];
            return t;
        };
    }

    private static Double nanToNull(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
