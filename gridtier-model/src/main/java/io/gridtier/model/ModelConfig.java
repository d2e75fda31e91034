package io.gridtier.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridtier.schema.CustomerCategory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The scoring model's parameters, read from a versioned YAML file (config/model/). Immutable once
 * loaded; {@link #load(Path)} refuses a file with a missing, unknown or inconsistent parameter and
 * says which one.
 */
public record ModelConfig(
        String version,
        Map<CustomerCategory, CategoryReference> categories,
        Value value,
        Credit credit,
        Churn churn,
        Tiers tiers,
        Emission emission,
        Map<String, String> playbook) implements Serializable {

    public record CategoryReference(Double referenceAnnualKwh, Double referenceAnnualRevenue,
                                    Double keyAccountMinAnnualKwh) implements Serializable {
        public boolean keyAccountEligible(double annualKwh) {
            return keyAccountMinAnnualKwh >= 0 && annualKwh >= keyAccountMinAnnualKwh;
        }
    }

    public record LogScale(Double points, Double fullAtMultiple) implements Serializable { }

    public record Points(Double points) implements Serializable { }

    public record Growth(Double points, Integer recentDays, Double fullAtGrowth, Double minBaselineShareOfReference,
                         Double fallbackWeight) implements Serializable { }

    public record Tenure(Double points, Double fullAtYears) implements Serializable { }

    /** Points that halve with every {@code halfLifeYears} of tenure: graded over years, never a cliff. */
    public record TenureDecay(Double points, Double halfLifeYears) implements Serializable {
        /** The points a customer of this tenure gets: {@code points x 2^(-years / halfLifeYears)}. */
        public double pointsAt(double years) {
            return points * Math.pow(2, -Math.max(0, years) / halfLifeYears);
        }
    }

    public record UsageProfileRule(Double highAtMultiple, Double lowBelowMultiple) implements Serializable { }

    public record Value(LogScale annualConsumption, LogScale billedRevenue, Points loadFactor, Growth growth,
                        Tenure tenure, Points reliability, Integer minDaysToAnnualise,
                        UsageProfileRule usageProfile) implements Serializable {
        /** The most points the current-value factors (consumption, revenue, load factor) can give. */
        public double currentValueMax() {
            return annualConsumption.points() + billedRevenue.points() + loadFactor.points();
        }
    }

    public record Window(Double points, Integer window) implements Serializable { }

    public record DaysScale(Double points, Integer fullAtDays) implements Serializable { }

    public record RatioScale(Double points, Double fullAtRatio) implements Serializable { }

    public record Returned(Double pointsEach, Double maxPoints) implements Serializable { }

    public record Arrears(Double points, Double fullAtRatio, List<Double> ageWeights) implements Serializable { }

    public record Credit(Double startingPoints, Window lateBills, DaysScale daysPastDue, Arrears arrears,
                         Returned returnedPayments, Double ratingA, Double ratingB, Double downgradeMargin,
                         Integer upgradeAfterDays, Integer overrideArrearsDays, Integer overrideUnpaidBills)
            implements Serializable { }

    public record Drop(Double points, Integer recentDays, Integer fallbackBaselineDays, Double fullAtDrop,
                       Double minBaselineKwh, Double fallbackWeight, Integer seasonalShiftDays) implements Serializable { }

    public record Silence(Double points, Integer graceDays, Integer fullAtDays, Double deadBelowShareOfAverage)
            implements Serializable { }

    public record Horizon(Double points, Integer horizonDays) implements Serializable { }

    public record Churn(Drop consumptionDrop, Silence meterSilence, Window latePayments, RatioScale arrearsGrowth,
                       Horizon contractEnd, TenureDecay shortTenure, Points suspended, Points closed) implements Serializable { }

    public record Band(Double enter, Double exit) implements Serializable { }

    public record PotentialRule(Double currentShareEnter, Double currentShareExit, Double potentialShareEnter,
                                Double potentialShareExit) implements Serializable { }

    public record Tiers(@com.fasterxml.jackson.annotation.JsonProperty("KEY_ACCOUNT") Band keyAccount,
                        @com.fasterxml.jackson.annotation.JsonProperty("HIGH_VALUE") Band highValue,
                        @com.fasterxml.jackson.annotation.JsonProperty("STANDARD") Band standard,
                        Double keyAccountFloorExitShare, Integer minDwellDays, Band churnElevated, Band churnHigh, Integer churnMinDwellDays,
                        PotentialRule potentialKeyAccount, Integer warmUpDays) implements Serializable { }

    public record Emission(Double materialChangePoints, Integer refreshDays) implements Serializable { }

    /** Days of consumption the state keeps (ConsumptionHistory.DAYS). */
    public static final int HISTORY_DAYS = io.gridtier.customer.ConsumptionHistory.DAYS;

    /** Playbook keys the model looks up; the file must define every one of them. */
    public static final List<String> PLAYBOOK_KEYS = List.of(
            "KEY_ACCOUNT", "HIGH_VALUE", "STANDARD", "LOW_VALUE", "POTENTIAL_KEY_ACCOUNT", "CHURN_RISK",
            "CREDIT_B", "CREDIT_C", "KEY_ACCOUNT_EXITED", "CHURN_RISK_CLEARED", "CREDIT_UPGRADED");

    public CategoryReference reference(CustomerCategory category) {
        return categories.get(category);
    }

    public String action(String playbookKey) {
        return playbook.get(playbookKey);
    }

    /** Reads and validates a model file. */
    public static ModelConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("model file " + file + " does not exist or is not a file");
        }
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new InvalidConfigException("model file " + file + " cannot be read: " + e.getMessage());
        }
        return parse(text, "model file " + file);
    }

    /**
     * Parses and validates a model's YAML text, exactly as {@link #load} does a file (a model pushed at run
     * time is held to the same rules as the start-up file).
     *
     * @param origin what the text is, for the messages ("model file config/model/x.yaml", "pushed model v2")
     */
    public static ModelConfig parse(String text, String origin) {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        ModelConfig config;
        try {
            config = yaml.readValue(text, ModelConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InvalidConfigException(origin + ": unknown key '" + e.getPropertyName()
                    + "' at " + e.getPathReference() + "; known keys there: " + e.getKnownPropertyIds());
        } catch (IOException e) {
            throw new InvalidConfigException(origin + " cannot be read: " + e.getMessage());
        }
        if (config == null) {
            throw new InvalidConfigException(origin + " is empty");
        }
        List<String> problems = config.problems();
        if (!problems.isEmpty()) {
            throw new InvalidConfigException(origin + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return config.withCategoryMap();
    }

    private ModelConfig withCategoryMap() {
        return new ModelConfig(version, new EnumMap<>(categories), value, credit, churn, tiers, emission,
                Map.copyOf(playbook));
    }

    /** Everything wrong with this configuration, each naming its key; empty when it is usable. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (version == null || version.isBlank()) {
            p.add("version: missing (name the model, e.g. gridtier-model-1.0)");
        }
        if (categories == null) {
            p.add("categories: missing");
        } else {
            for (CustomerCategory c : CustomerCategory.values()) {
                CategoryReference r = categories.get(c);
                String k = "categories." + c;
                if (r == null) {
                    p.add(k + ": missing");
                    continue;
                }
                positive(p, k + ".referenceAnnualKwh", r.referenceAnnualKwh());
                positive(p, k + ".referenceAnnualRevenue", r.referenceAnnualRevenue());
                present(p, k + ".keyAccountMinAnnualKwh", r.keyAccountMinAnnualKwh());
            }
        }
        if (value == null) {
            p.add("value: missing");
        } else {
            logScale(p, "value.annualConsumption", value.annualConsumption());
            logScale(p, "value.billedRevenue", value.billedRevenue());
            points(p, "value.loadFactor", value.loadFactor());
            if (nonNull(p, "value.growth", value.growth())) {
                nonNegative(p, "value.growth.points", value.growth().points());
                positiveInt(p, "value.growth.recentDays", value.growth().recentDays());
                positive(p, "value.growth.fullAtGrowth", value.growth().fullAtGrowth());
                share(p, "value.growth.minBaselineShareOfReference", value.growth().minBaselineShareOfReference());
                share(p, "value.growth.fallbackWeight", value.growth().fallbackWeight());
                if (value.growth().recentDays() != null && value.growth().recentDays() + 365 > HISTORY_DAYS) {
                    p.add("value.growth.recentDays: at most " + (HISTORY_DAYS - 365)
                            + " (the days kept must reach back a year and that many days)");
                }
            }
            tenure(p, "value.tenure", value.tenure());
            points(p, "value.reliability", value.reliability());
            positiveInt(p, "value.minDaysToAnnualise", value.minDaysToAnnualise());
            if (nonNull(p, "value.usageProfile", value.usageProfile())) {
                positive(p, "value.usageProfile.highAtMultiple", value.usageProfile().highAtMultiple());
                positive(p, "value.usageProfile.lowBelowMultiple", value.usageProfile().lowBelowMultiple());
            }
            if (p.isEmpty()) {
                double sum = value.currentValueMax() + value.growth().points() + value.tenure().points()
                        + value.reliability().points();
                if (Math.abs(sum - 100) > 1e-9) {
                    p.add("value: the factors' points must add up to 100, they add up to " + sum);
                }
            }
        }
        if (credit == null) {
            p.add("credit: missing");
        } else {
            positive(p, "credit.startingPoints", credit.startingPoints());
            window(p, "credit.lateBills", credit.lateBills());
            if (nonNull(p, "credit.daysPastDue", credit.daysPastDue())) {
                nonNegative(p, "credit.daysPastDue.points", credit.daysPastDue().points());
                positiveInt(p, "credit.daysPastDue.fullAtDays", credit.daysPastDue().fullAtDays());
            }
            if (nonNull(p, "credit.arrears", credit.arrears())) {
                nonNegative(p, "credit.arrears.points", credit.arrears().points());
                positive(p, "credit.arrears.fullAtRatio", credit.arrears().fullAtRatio());
                List<Double> w = credit.arrears().ageWeights();
                if (w == null || w.size() != 4) {
                    p.add("credit.arrears.ageWeights: four weights, for 0-30, 31-60, 61-90 and 90+ days past due");
                } else {
                    for (int i = 0; i < 4; i++) {
                        share(p, "credit.arrears.ageWeights[" + i + "]", w.get(i));
                    }
                }
            }
            if (nonNull(p, "credit.returnedPayments", credit.returnedPayments())) {
                nonNegative(p, "credit.returnedPayments.pointsEach", credit.returnedPayments().pointsEach());
                nonNegative(p, "credit.returnedPayments.maxPoints", credit.returnedPayments().maxPoints());
            }
            positive(p, "credit.ratingA", credit.ratingA());
            positive(p, "credit.ratingB", credit.ratingB());
            nonNegative(p, "credit.downgradeMargin", credit.downgradeMargin());
            nonNegativeInt(p, "credit.upgradeAfterDays", credit.upgradeAfterDays());
            positiveInt(p, "credit.overrideArrearsDays", credit.overrideArrearsDays());
            positiveInt(p, "credit.overrideUnpaidBills", credit.overrideUnpaidBills());
            if (credit.ratingA() != null && credit.ratingB() != null && credit.ratingA() <= credit.ratingB()) {
                p.add("credit.ratingA must be above credit.ratingB");
            }
        }
        if (churn == null) {
            p.add("churn: missing");
        } else {
            if (nonNull(p, "churn.consumptionDrop", churn.consumptionDrop())) {
                Drop d = churn.consumptionDrop();
                nonNegative(p, "churn.consumptionDrop.points", d.points());
                positiveInt(p, "churn.consumptionDrop.recentDays", d.recentDays());
                positiveInt(p, "churn.consumptionDrop.fallbackBaselineDays", d.fallbackBaselineDays());
                positive(p, "churn.consumptionDrop.fullAtDrop", d.fullAtDrop());
                positive(p, "churn.consumptionDrop.minBaselineKwh", d.minBaselineKwh());
                share(p, "churn.consumptionDrop.fallbackWeight", d.fallbackWeight());
                nonNegativeInt(p, "churn.consumptionDrop.seasonalShiftDays", d.seasonalShiftDays());
                if (d.recentDays() != null && d.seasonalShiftDays() != null
                        && d.recentDays() + 365 + d.seasonalShiftDays() > HISTORY_DAYS) {
                    p.add("churn.consumptionDrop: recentDays + seasonalShiftDays must be at most " + (HISTORY_DAYS - 365));
                }
                if (d.recentDays() != null && d.recentDays() + 365 > HISTORY_DAYS) {
                    p.add("churn.consumptionDrop.recentDays: at most " + (HISTORY_DAYS - 365)
                            + " (the days kept must reach back a year and that many days)");
                }
                if (d.fullAtDrop() != null && d.fullAtDrop() > 1) {
                    p.add("churn.consumptionDrop.fullAtDrop must be at most 1 (a fall of 100%)");
                }
            }
            if (nonNull(p, "churn.meterSilence", churn.meterSilence())) {
                nonNegative(p, "churn.meterSilence.points", churn.meterSilence().points());
                nonNegativeInt(p, "churn.meterSilence.graceDays", churn.meterSilence().graceDays());
                positiveInt(p, "churn.meterSilence.fullAtDays", churn.meterSilence().fullAtDays());
                share(p, "churn.meterSilence.deadBelowShareOfAverage", churn.meterSilence().deadBelowShareOfAverage());
                if (churn.meterSilence().graceDays() != null && churn.meterSilence().fullAtDays() != null
                        && churn.meterSilence().fullAtDays() <= churn.meterSilence().graceDays()) {
                    p.add("churn.meterSilence.fullAtDays must be above graceDays");
                }
            }
            window(p, "churn.latePayments", churn.latePayments());
            ratio(p, "churn.arrearsGrowth", churn.arrearsGrowth());
            if (nonNull(p, "churn.contractEnd", churn.contractEnd())) {
                nonNegative(p, "churn.contractEnd.points", churn.contractEnd().points());
                positiveInt(p, "churn.contractEnd.horizonDays", churn.contractEnd().horizonDays());
            }
            if (nonNull(p, "churn.shortTenure", churn.shortTenure())) {
                nonNegative(p, "churn.shortTenure.points", churn.shortTenure().points());
                positive(p, "churn.shortTenure.halfLifeYears", churn.shortTenure().halfLifeYears());
            }
            points(p, "churn.suspended", churn.suspended());
            points(p, "churn.closed", churn.closed());
        }
        if (tiers == null) {
            p.add("tiers: missing");
        } else {
            band(p, "tiers.KEY_ACCOUNT", tiers.keyAccount());
            band(p, "tiers.HIGH_VALUE", tiers.highValue());
            band(p, "tiers.STANDARD", tiers.standard());
            band(p, "tiers.churnElevated", tiers.churnElevated());
            band(p, "tiers.churnHigh", tiers.churnHigh());
            share(p, "tiers.keyAccountFloorExitShare", tiers.keyAccountFloorExitShare());
            nonNegativeInt(p, "tiers.minDwellDays", tiers.minDwellDays());
            nonNegativeInt(p, "tiers.churnMinDwellDays", tiers.churnMinDwellDays());
            nonNegativeInt(p, "tiers.warmUpDays", tiers.warmUpDays());
            if (nonNull(p, "tiers.potentialKeyAccount", tiers.potentialKeyAccount())) {
                PotentialRule r = tiers.potentialKeyAccount();
                share(p, "tiers.potentialKeyAccount.currentShareEnter", r.currentShareEnter());
                share(p, "tiers.potentialKeyAccount.currentShareExit", r.currentShareExit());
                share(p, "tiers.potentialKeyAccount.potentialShareEnter", r.potentialShareEnter());
                share(p, "tiers.potentialKeyAccount.potentialShareExit", r.potentialShareExit());
                if (p.isEmpty() && (r.currentShareExit() > r.currentShareEnter()
                        || r.potentialShareExit() > r.potentialShareEnter())) {
                    p.add("tiers.potentialKeyAccount: an exit share must not be above its enter share");
                }
            }
            if (p.isEmpty()) {
                if (!(tiers.keyAccount().enter() > tiers.highValue().enter()
                        && tiers.highValue().enter() > tiers.standard().enter())) {
                    p.add("tiers: enter thresholds must fall from KEY_ACCOUNT to HIGH_VALUE to STANDARD");
                }
                if (!(tiers.churnHigh().enter() > tiers.churnElevated().enter())) {
                    p.add("tiers.churnHigh.enter must be above tiers.churnElevated.enter");
                }
            }
        }
        if (emission == null) {
            p.add("emission: missing");
        } else {
            positive(p, "emission.materialChangePoints", emission.materialChangePoints());
            positiveInt(p, "emission.refreshDays", emission.refreshDays());
        }
        if (playbook == null) {
            p.add("playbook: missing");
        } else {
            for (String key : PLAYBOOK_KEYS) {
                String text = playbook.get(key);
                if (text == null || text.isBlank()) {
                    p.add("playbook." + key + ": missing (the recommended action for it)");
                }
            }
        }
        return p;
    }

    private static boolean nonNull(List<String> p, String key, Object v) {
        if (v == null) {
            p.add(key + ": missing");
            return false;
        }
        return true;
    }

    private static void present(List<String> p, String key, Double v) {
        nonNull(p, key, v);
    }

    private static void positive(List<String> p, String key, Double v) {
        if (nonNull(p, key, v) && !(v > 0)) {
            p.add(key + ": must be above 0, is " + v);
        }
    }

    private static void nonNegative(List<String> p, String key, Double v) {
        if (nonNull(p, key, v) && !(v >= 0)) {
            p.add(key + ": must be 0 or more, is " + v);
        }
    }

    private static void share(List<String> p, String key, Double v) {
        if (nonNull(p, key, v) && !(v >= 0 && v <= 1)) {
            p.add(key + ": must be a share between 0 and 1, is " + v);
        }
    }

    private static void positiveInt(List<String> p, String key, Integer v) {
        if (nonNull(p, key, v) && v <= 0) {
            p.add(key + ": must be a whole number above 0, is " + v);
        }
    }

    private static void nonNegativeInt(List<String> p, String key, Integer v) {
        if (nonNull(p, key, v) && v < 0) {
            p.add(key + ": must be 0 or more, is " + v);
        }
    }

    private static void points(List<String> p, String key, Points v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".points", v.points());
        }
    }

    private static void logScale(List<String> p, String key, LogScale v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".points", v.points());
            positive(p, key + ".fullAtMultiple", v.fullAtMultiple());
        }
    }

    private static void tenure(List<String> p, String key, Tenure v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".points", v.points());
            positive(p, key + ".fullAtYears", v.fullAtYears());
        }
    }

    private static void window(List<String> p, String key, Window v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".points", v.points());
            positiveInt(p, key + ".window", v.window());
        }
    }

    private static void ratio(List<String> p, String key, RatioScale v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".points", v.points());
            positive(p, key + ".fullAtRatio", v.fullAtRatio());
        }
    }

    private static void band(List<String> p, String key, Band v) {
        if (nonNull(p, key, v)) {
            nonNegative(p, key + ".enter", v.enter());
            nonNegative(p, key + ".exit", v.exit());
            if (v.enter() != null && v.exit() != null && v.exit() > v.enter()) {
                p.add(key + ": exit (" + v.exit() + ") must not be above enter (" + v.enter() + ")");
            }
        }
    }
}
