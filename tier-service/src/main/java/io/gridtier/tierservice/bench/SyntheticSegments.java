package io.gridtier.tierservice.bench;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.UsageProfile;
import io.gridtier.schema.ValueTier;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Segments that look like the segmentation job's (same factor names, sentence style, playbook actions and
 * additive scores), for the demo data, the tests and the benchmark. The tier service itself never makes any.
 */
public final class SyntheticSegments {
    public static final String MODEL_VERSION = "gridtier-model-1.0";

    static final String[] VALUE_FACTORS = {"annualConsumption", "billedRevenue", "loadFactor", "growth", "tenure", "reliability"};
    static final double[] VALUE_CAPS = {45, 10, 5, 15, 10, 15};
    static final String[] CHURN_FACTORS = {"consumptionDrop", "meterSilence", "latePayments", "arrearsGrowth", "contractEnd", "shortTenure"};
    static final double[] CHURN_CAPS = {45, 40, 15, 10, 15, 10};
    static final String[] CREDIT_DEMERITS = {"lateBills", "daysPastDue", "arrears", "returnedPayments"};
    static final double[] CREDIT_CAPS = {25, 30, 20, 20};

    private SyntheticSegments() {
    }

    /** Customer id number {@code i} in the synthetic population: C00000042. */
    public static String customerId(long i) {
        return String.format(Locale.ROOT, "C%08d", i);
    }

    /** A random customer of the population (80% households, 15% commercial, 3% large industry, 2% farms). */
    public static CustomerSegment random(String id, Random r, Instant asOf) {
        double p = r.nextDouble();
        CustomerCategory category = p < 0.80 ? CustomerCategory.RESIDENTIAL
                : p < 0.95 ? CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL
                : p < 0.98 ? CustomerCategory.LARGE_INDUSTRIAL : CustomerCategory.AGRICULTURAL;
        double value = switch (category) {
            case LARGE_INDUSTRIAL -> 55 + r.nextDouble() * 40;
            case GENERAL_INDUSTRIAL_COMMERCIAL -> 25 + r.nextDouble() * 55;
            default -> 10 + r.nextDouble() * 55;
        };
        double churn = Math.min(95, Math.abs(r.nextGaussian()) * 25);
        double credit = 100 - Math.min(90, Math.abs(r.nextGaussian()) * 12);
        Instant tierSince = asOf.minusSeconds(86_400L * (1 + r.nextInt(700)));
        return build(id, category, value, churn, credit, r, asOf, tierSince);
    }

    /**
     * A segment whose three scores are (about) the given ones: each is split over its factors, rounded to 0.01, and
     * the score is the exact sum of the rounded contributions. Tiers follow the model's entry thresholds.
     */
    public static CustomerSegment build(String id, CustomerCategory category, double valueTarget, double churnTarget,
                                        double creditTarget, Random r, Instant asOf, Instant tierSince) {
        List<Factor> factors = new ArrayList<>(16);
        double[] v = split(valueTarget, VALUE_CAPS, r);
        double[] c = split(churnTarget, CHURN_CAPS, r);
        double[] d = split(100 - creditTarget, CREDIT_CAPS, r);
        double valueScore = 0;
        for (int i = 0; i < v.length; i++) {
            valueScore += v[i];
            factors.add(factor(ScoreKind.VALUE, VALUE_FACTORS[i], valueInput(i, v[i], category), v[i],
                    valueSentence(i, v[i], category)));
        }
        double churnScore = 0;
        for (int i = 0; i < c.length; i++) {
            churnScore += c[i];
            factors.add(factor(ScoreKind.CHURN, CHURN_FACTORS[i], churnInput(i, c[i]), c[i], churnSentence(i, c[i])));
        }
        double creditScore = 100;
        factors.add(factor(ScoreKind.CREDIT, "startingPoints", 100, 100,
                "Every customer starts from 100 points; payment problems take points away."));
        for (int i = 0; i < d.length; i++) {
            creditScore -= d[i];
            factors.add(factor(ScoreKind.CREDIT, CREDIT_DEMERITS[i], creditInput(i, d[i]), -d[i], creditSentence(i, d[i])));
        }
        valueScore = round2(valueScore);
        churnScore = round2(churnScore);
        creditScore = round2(creditScore);

        boolean keyAccountCategory = category != CustomerCategory.RESIDENTIAL;
        ValueTier tier = valueScore >= 72 && keyAccountCategory ? ValueTier.KEY_ACCOUNT
                : valueScore >= 55 ? ValueTier.HIGH_VALUE : valueScore >= 30 ? ValueTier.STANDARD : ValueTier.LOW_VALUE;
        boolean potential = tier != ValueTier.KEY_ACCOUNT && keyAccountCategory && valueScore >= 55 && v[3] >= 7.5;
        ChurnRisk churn = churnScore >= 65 ? ChurnRisk.HIGH : churnScore >= 40 ? ChurnRisk.ELEVATED : ChurnRisk.LOW;
        CreditRating rating = creditScore >= 90 ? CreditRating.A : creditScore >= 70 ? CreditRating.B : CreditRating.C;
        double peak = 0.25 + (r.nextDouble() * 0.2);
        double valley = 0.15 + (r.nextDouble() * 0.2);
        return CustomerSegment.newBuilder()
                .setCustomerId(id)
                .setCategory(category)
                .setValueTier(tier)
                .setValueScore(valueScore)
                .setPotentialKeyAccount(potential)
                .setChurnRisk(churn)
                .setChurnScore(churnScore)
                .setCreditRating(rating)
                .setCreditScore(creditScore)
                .setFactors(factors)
                .setRecommendedActions(actions(tier, potential, churn, rating))
                .setTierSince(tierSince)
                .setModelVersion(MODEL_VERSION)
                .setAsOf(asOf)
                .setUsageProfile(valueScore >= 60 ? UsageProfile.HIGH_CONSUMPTION
                        : valueScore < 25 ? UsageProfile.LOW_CONSUMPTION : UsageProfile.GENERAL)
                .setPeakShare(round3(peak))
                .setValleyShare(round3(valley))
                .setFlatShare(round3(1 - round3(peak) - round3(valley)))
                .build();
    }

    /** The alert the job would write for a crossing from {@code previous} to {@code current}. */
    public static SegmentAlert alert(CustomerSegment segment, AlertType type, String previous, String current) {
        String action = switch (type) {
            case KEY_ACCOUNT_ENTERED -> PLAYBOOK_KEY_ACCOUNT;
            case KEY_ACCOUNT_EXITED -> "Left key accounts: account manager to review the relationship and hand over to priority service.";
            case POTENTIAL_KEY_ACCOUNT_IDENTIFIED -> PLAYBOOK_POTENTIAL;
            case CHURN_RISK_RAISED -> PLAYBOOK_CHURN;
            case CHURN_RISK_CLEARED -> "Churn risk cleared: close the retention case.";
            case CREDIT_DOWNGRADED -> current.equals("C") ? PLAYBOOK_CREDIT_C : PLAYBOOK_CREDIT_B;
            case CREDIT_UPGRADED -> "Credit improved: lift payment restrictions and thank the customer.";
        };
        return SegmentAlert.newBuilder()
                .setAlertId(segment.getCustomerId() + ":" + type + ":" + segment.getAsOf().toEpochMilli())
                .setCustomerId(segment.getCustomerId())
                .setType(type)
                .setPrevious(previous)
                .setCurrent(current)
                .setSegment(segment)
                .setRecommendedAction(action)
                .setModelVersion(segment.getModelVersion())
                .setEventTime(segment.getAsOf())
                .build();
    }

    static final String PLAYBOOK_KEY_ACCOUNT = "Key account: dedicated account manager, one-to-one service (supply plan, "
            + "energy-efficiency and load analysis), green channel, regular visits.";
    static final String PLAYBOOK_POTENTIAL = "Potential key account: early contact by an account manager; track investment "
            + "and expansion plans.";
    static final String PLAYBOOK_CHURN = "Churn risk: retention outreach - tariff advice, time-of-use plan, service recovery.";
    static final String PLAYBOOK_CREDIT_B = "Credit watch: payment reminders before the due date.";
    static final String PLAYBOOK_CREDIT_C = "Credit risk: collections - instalment plan or prepayment (not a marketing contact).";

    public static List<String> actions(ValueTier tier, boolean potential, ChurnRisk churn, CreditRating rating) {
        List<String> a = new ArrayList<>(4);
        a.add(switch (tier) {
            case KEY_ACCOUNT -> PLAYBOOK_KEY_ACCOUNT;
            case HIGH_VALUE -> "High value: VIP priority service and value-added services.";
            case STANDARD -> "Standard: standardised, efficient service through self-service channels.";
            case LOW_VALUE -> "Low value: simplified processes and guidance on safe, economical use.";
        });
        if (potential) {
            a.add(PLAYBOOK_POTENTIAL);
        }
        if (churn != ChurnRisk.LOW) {
            a.add(PLAYBOOK_CHURN);
        }
        if (rating == CreditRating.B) {
            a.add(PLAYBOOK_CREDIT_B);
        } else if (rating == CreditRating.C) {
            a.add(PLAYBOOK_CREDIT_C);
        }
        return a;
    }

    /** Splits {@code total} over factors with the given caps, at random, each part rounded to 0.01. */
    static double[] split(double total, double[] caps, Random r) {
        double capSum = 0;
        for (double c : caps) {
            capSum += c;
        }
        total = Math.max(0, Math.min(total, capSum));
        double[] w = new double[caps.length];
        double[] out = new double[caps.length];
        double remaining = total;
        for (int round = 0; round < 8 && remaining > 0.005; round++) {
            double wSum = 0;
            for (int i = 0; i < caps.length; i++) {
                w[i] = out[i] < caps[i] ? caps[i] * (0.3 + r.nextDouble()) : 0;
                wSum += w[i];
            }
            if (wSum == 0) {
                break;
            }
            double given = 0;
            for (int i = 0; i < caps.length; i++) {
                double add = Math.min(caps[i] - out[i], remaining * w[i] / wSum);
                out[i] += add;
                given += add;
            }
            remaining -= given;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = round2(out[i]);
        }
        return out;
    }

    private static Factor factor(ScoreKind kind, String name, double value, double contribution, String detail) {
        return Factor.newBuilder().setScore(kind).setName(name).setValue(value).setContribution(contribution)
                .setDetail(detail).build();
    }

    private static double reference(CustomerCategory c) {
        return switch (c) {
            case LARGE_INDUSTRIAL -> 5_000_000;
            case GENERAL_INDUSTRIAL_COMMERCIAL -> 300_000;
            case RESIDENTIAL -> 2_500;
            case AGRICULTURAL -> 30_000;
        };
    }

    private static double ratioFor(double points, double cap) {
        return Math.expm1(points / cap * Math.log1p(5.0));
    }

    private static double valueInput(int i, double points, CustomerCategory c) {
        return switch (i) {
            case 0 -> Math.round(ratioFor(points, 45) * reference(c));
            case 1 -> Math.round(ratioFor(points, 10) * reference(c) * 0.7);
            case 2 -> round3(points / 5);
            case 3 -> round3(points / 15 * 0.5);
            case 4 -> round2(points);
            default -> round2(points / 15 * 100);
        };
    }

    private static String valueSentence(int i, double points, CustomerCategory c) {
        double in = valueInput(i, points, c);
        return switch (i) {
            case 0 -> String.format(Locale.ROOT, "%,.0f kWh in the last 12 months = %.1f× the %s reference of %,.0f kWh.",
                    in, ratioFor(points, 45), c, reference(c));
            case 1 -> String.format(Locale.ROOT, "%,.0f billed in the last 12 months = %.1f× the category reference.",
                    in, ratioFor(points, 10));
            case 2 -> String.format(Locale.ROOT, "Load factor %.0f%% (average day against the busiest day).", in * 100);
            case 3 -> String.format(Locale.ROOT, "Consumption of the last 90 days %+.0f%% against the same days a year earlier.",
                    in * 100);
            case 4 -> String.format(Locale.ROOT, "Customer for %.1f years.", in);
            default -> String.format(Locale.ROOT, "Credit score %.0f of 100.", in);
        };
    }

    private static double churnInput(int i, double points) {
        return switch (i) {
            case 0 -> round3(points / 45 * 0.6);
            case 1 -> Math.round(points / 40 * 28 + (points > 0 ? 2 : 0));
            case 2 -> round3(points / 15);
            case 3 -> round3(points / 10 * 2);
            case 4 -> points > 0 ? Math.round(90 - points / 15 * 90) : -1;
            default -> round2(2 - points / 10 * 2);
        };
    }

    private static String churnSentence(int i, double points) {
        double in = churnInput(i, points);
        return switch (i) {
            case 0 -> points == 0 ? "Consumption of the last 30 days is in line with the same days a year earlier."
                    : String.format(Locale.ROOT, "Consumption of the last 30 days read is %.0f%% below the same days a year earlier.", in * 100);
            case 1 -> points == 0 ? "Readings are arriving normally."
                    : String.format(Locale.ROOT, "No reading for %.0f days.", in);
            case 2 -> points == 0 ? "Payment habits unchanged."
                    : String.format(Locale.ROOT, "%.0f%% more bills paid late than in the six bills before.", in * 100);
            case 3 -> points == 0 ? "No arrears."
                    : String.format(Locale.ROOT, "Arrears, weighted by age, are %.1f× the usual bill.", in);
            case 4 -> points == 0 ? "Open-ended contract." : String.format(Locale.ROOT, "The contract ends in %.0f days.", in);
            default -> points == 0 ? "Long-standing customer."
                    : String.format(Locale.ROOT, "Customer for %.1f years; new customers leave more often.", in);
        };
    }

    private static double creditInput(int i, double demerit) {
        return switch (i) {
            case 0 -> round3(demerit / 25);
            case 1 -> Math.round(demerit / 30 * 90);
            case 2 -> round3(demerit / 20 * 3);
            default -> Math.round(demerit / 10);
        };
    }

    private static String creditSentence(int i, double demerit) {
        double in = creditInput(i, demerit);
        return switch (i) {
            case 0 -> demerit == 0 ? "Every bill of the last 12 was paid by its due date."
                    : String.format(Locale.ROOT, "%.0f of the last 12 bills were not paid by the due date.", Math.max(1, in * 12));
            case 1 -> demerit == 0 ? "No bill paid after its due date."
                    : String.format(Locale.ROOT, "A bill was paid %.0f days after its due date.", Math.max(1, in));
            case 2 -> demerit == 0 ? "No arrears."
                    : String.format(Locale.ROOT, "Arrears of %.1f× the usual bill.", in);
            default -> demerit == 0 ? "No payment returned in the last 12 months."
                    : String.format(Locale.ROOT, "%.0f payment(s) returned in the last 12 months.", Math.max(1, in));
        };
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
