package io.gridtier.model;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.SplittableRandom;

import static io.gridtier.model.CustomerFixture.day;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SegmentationModelTest {

    private static final CustomerCategory GIC = CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL;

    @Test
    void entersKeyAccountWhenAnnualKwhCrossesThreshold() {
        // 1.2 GWh/yr for a year (below the 1.5 GWh key-account minimum), then growing to about 4 GWh/yr
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2023-12-31", d -> 3300);
        c.monthlyBills("2023-01-05", 24, 3300 * 30 * 0.8, -3);
        List<SegmentAlert> early = c.evaluateDaily("2023-02-01", "2023-12-31");
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.HIGH_VALUE);
        assertThat(early).noneMatch(a -> a.getType() == AlertType.KEY_ACCOUNT_ENTERED);

        c.daily("2024-01-01", "2024-12-31", d -> 3300 + (d - day("2024-01-01")) * 25.0);
        List<SegmentAlert> alerts = c.evaluateDaily("2024-01-01", "2024-12-31");
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
        assertThat(alerts).filteredOn(a -> a.getType() == AlertType.KEY_ACCOUNT_ENTERED).hasSize(1)
                .allSatisfy(a -> {
                    assertThat(a.getPrevious()).isIn("HIGH_VALUE", "STANDARD");
                    assertThat(a.getCurrent()).isEqualTo("KEY_ACCOUNT");
                    assertThat(a.getRecommendedAction()).contains("account manager");
                    assertThat(a.getSegment().getFactors()).anyMatch(f -> f.getName().equals("growth") && f.getContribution() > 0);
                });
    }

    @Test
    void householdIsNeverKeyAccountWhateverItConsumes() {
        CustomerFixture c = new CustomerFixture().profile(CustomerCategory.RESIDENTIAL, "2000-01-01")
                .daily("2023-01-01", "2024-06-30", d -> 500);
        c.evaluateDaily("2024-01-01", "2024-06-30");
        assertThat(c.last().segment().getValueScore()).isGreaterThan(72);
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.HIGH_VALUE);
    }

    @Test
    void keyAccountHoldsWhileScoreStaysInsideHysteresisBand() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2005-01-01")
                .daily("2023-01-01", "2024-03-31", d -> 8000);
        c.monthlyBills("2023-01-05", 15, 8000 * 30 * 0.8, -3);
        c.evaluateDaily("2024-01-01", "2024-03-31");
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
        double enter = c.model.config().tiers().keyAccount().enter();
        double exit = c.model.config().tiers().keyAccount().exit();
        // the same customer with a lower score inside the band keeps its tier
        ValueTier kept = TierPolicy.valueTier(c.model.config().tiers(), ValueTier.KEY_ACCOUNT, 0, (enter + exit) / 2,
                true, 400 * TierPolicy.DAY_MS, false);
        assertThat(kept).isEqualTo(ValueTier.KEY_ACCOUNT);
        ValueTier dropped = TierPolicy.valueTier(c.model.config().tiers(), ValueTier.KEY_ACCOUNT, 0, exit - 0.01,
                true, 400 * TierPolicy.DAY_MS, false);
        assertThat(dropped).isEqualTo(ValueTier.HIGH_VALUE);
    }

    @ParameterizedTest(name = "{0} since day 0, score {1}, on day {2} -> {3}")
    @CsvSource({
            "HIGH_VALUE, 80, 10, HIGH_VALUE",   // would enter key account, but 10 days < 30 days dwell
            "HIGH_VALUE, 80, 30, KEY_ACCOUNT",  // dwell served
            "KEY_ACCOUNT, 10, 29, KEY_ACCOUNT", // collapse held by dwell
            "KEY_ACCOUNT, 10, 31, LOW_VALUE",
            "STANDARD, 56, 100, HIGH_VALUE",
            "HIGH_VALUE, 51, 100, HIGH_VALUE",  // between exit 50 and enter 55: stays
            "HIGH_VALUE, 49.9, 100, STANDARD",
            "LOW_VALUE, 29, 100, LOW_VALUE",    // below STANDARD's entry of 30
            "STANDARD, 26, 100, STANDARD",      // above STANDARD's exit of 25
    })
    void tierMovesOnlyPastEntryOrExitThresholdsAndAfterDwell(ValueTier current, double score, int day, ValueTier expected) {
        ValueTier next = TierPolicy.valueTier(CustomerFixture.MODEL.tiers(), current, 0, score, true,
                day * TierPolicy.DAY_MS, false);
        assertThat(next).isEqualTo(expected);
    }

    @Test
    void factorContributionsSumToEachScore() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            CustomerCategory cat = CustomerCategory.values()[random.nextInt(4)];
            double base = Math.exp(random.nextDouble(0, 12));
            CustomerFixture c = new CustomerFixture().profile(cat, "20" + (10 + random.nextInt(15)) + "-01-01")
                    .daily("2023-0" + (1 + random.nextInt(9)) + "-01", "2024-06-30",
                            d -> random.nextDouble() < 0.05 ? 0 : base * random.nextDouble(0.2, 2));
            c.monthlyBills("2023-06-05", 12, random.nextDouble(10, 50000), random.nextInt(-10, 60));
            CustomerSegment s = c.evaluate(day("2024-06-" + (10 + random.nextInt(20)))).segment();
            assertSums(s);
            assertThat(s.getValueScore()).isBetween(0.0, 100.0);
            assertThat(s.getChurnScore()).isBetween(0.0, 100.0);
            assertThat(s.getCreditScore()).isBetween(0.0, 100.0);
        }
    }

    static void assertSums(CustomerSegment s) {
        assertThat(sum(s.getFactors(), ScoreKind.VALUE)).isCloseTo(s.getValueScore(), within(0.01));
        assertThat(sum(s.getFactors(), ScoreKind.CHURN)).isCloseTo(s.getChurnScore(), within(0.01));
        assertThat(sum(s.getFactors(), ScoreKind.CREDIT)).isCloseTo(s.getCreditScore(), within(0.01));
    }

    private static double sum(List<Factor> factors, ScoreKind kind) {
        return factors.stream().filter(f -> f.getScore() == kind).mapToDouble(Factor::getContribution).sum();
    }

    @Test
    void creditIsCWhenArrearsAreOlderThanNinetyDaysWhateverTheScore() {
        // a model where days past due weigh little, so that only the override can make the rating C
        ModelConfig.Credit c0 = CustomerFixture.MODEL.credit();
        CustomerFixture c = new CustomerFixture(daysPastDueWeighLittle()).profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-06-30", d -> 1000);
        c.monthlyBills("2023-01-05", 12, 800, -2);
        c.bill("OLD", "2024-01-05", "2024-01-25", 100);
        CustomerSegment before = c.evaluate(day("2024-04-20")).segment(); // 86 days past due
        assertThat(before.getCreditScore()).isGreaterThan(c0.ratingB());
        assertThat(before.getCreditRating()).isNotEqualTo(CreditRating.C);
        CustomerSegment after = c.evaluate(day("2024-04-30")).segment(); // 96 days past due
        assertThat(after.getCreditScore()).isGreaterThan(c0.ratingB());
        assertThat(after.getCreditRating()).isEqualTo(CreditRating.C);
    }

    /** The model with days past due weighing little, so that a rating of C can only come from an override. */
    private static ModelConfig daysPastDueWeighLittle() {
        ModelConfig m = CustomerFixture.MODEL;
        ModelConfig.Credit c0 = m.credit();
        ModelConfig.Credit mild = new ModelConfig.Credit(c0.startingPoints(), c0.lateBills(),
                new ModelConfig.DaysScale(5.0, 90), c0.arrears(), c0.returnedPayments(), c0.ratingA(), c0.ratingB(),
                c0.downgradeMargin(), c0.upgradeAfterDays(), c0.overrideArrearsDays(), c0.overrideUnpaidBills());
        return new ModelConfig(m.version(), m.categories(), m.value(), mild, m.churn(), m.tiers(), m.emission(),
                m.playbook());
    }

    /**
     * A good payer (twelve 800 bills paid early) whose next three small monthly bills fall due: the
     * third unpaid on {@code 2024-03-26}, when the oldest is 61 days past due (the 90-day rule does not apply).
     */
    private static CustomerFixture threeSmallBillsFallDue(boolean thirdPaid) {
        CustomerFixture c = new CustomerFixture(daysPastDueWeighLittle()).profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-06-30", d -> 1000);
        c.monthlyBills("2023-01-05", 12, 800, -2);
        c.bill("U1", "2024-01-05", "2024-01-25", 100);
        c.bill("U2", "2024-02-05", "2024-02-25", 100);
        c.bill("U3", "2024-03-05", "2024-03-25", 100);
        if (thirdPaid) {
            c.payment("PU3", "U3", "2024-03-20", 100);
        }
        return c;
    }

    @Test
    void threeUnpaidPastDueBillsForceC() {
        CustomerSegment s = threeSmallBillsFallDue(false).evaluate(day("2024-03-26")).segment();
        assertThat(s.getCreditScore()).as("the score alone would not make it C").isGreaterThan(CustomerFixture.MODEL.credit().ratingB());
        assertThat(s.getFactors()).anyMatch(f -> f.getName().equals("daysPastDue") && f.getValue() == 61);
        assertThat(s.getCreditRating()).isEqualTo(CreditRating.C);
        assertThat(s.getRecommendedActions()).contains(CustomerFixture.MODEL.action("CREDIT_C"));
    }

    @Test
    void twoUnpaidPastDueBillsDoNotForceC() {
        CustomerSegment s = threeSmallBillsFallDue(true).evaluate(day("2024-03-26")).segment();
        assertThat(s.getCreditScore()).isGreaterThan(CustomerFixture.MODEL.credit().ratingB());
        assertThat(s.getCreditRating()).isNotEqualTo(CreditRating.C);
    }

    @Test
    void thirdBillNotYetDueDoesNotForceC() {
        // on its due day the third bill is not past due yet
        CustomerSegment s = threeSmallBillsFallDue(false).evaluate(day("2024-03-25")).segment();
        assertThat(s.getCreditRating()).isNotEqualTo(CreditRating.C);
    }

    @Test
    void theftForcesCreditC() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01").theft()
                .daily("2024-01-01", "2024-06-30", d -> 1000);
        CustomerSegment s = c.evaluate(day("2024-06-30")).segment();
        assertThat(s.getCreditScore()).isEqualTo(100.0);
        assertThat(s.getCreditRating()).isEqualTo(CreditRating.C);
    }

    @Test
    void churnRiskRisesWhenConsumptionCollapsesAgainstTheSameDaysLastYear() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-05-31", d -> 2000)
                .daily("2024-06-01", "2024-08-31", d -> 150);
        c.monthlyBills("2023-01-05", 20, 1500, -2);
        List<SegmentAlert> alerts = c.evaluateDaily("2024-03-01", "2024-08-31");
        assertThat(alerts).filteredOn(a -> a.getType() == AlertType.CHURN_RISK_RAISED).isNotEmpty()
                .allSatisfy(a -> assertThat(a.getRecommendedAction()).contains("retention outreach"));
        assertThat(c.last().segment().getChurnRisk()).isNotEqualTo(ChurnRisk.LOW);
        assertThat(c.last().segment().getFactors())
                .anyMatch(f -> f.getName().equals("consumptionDrop") && f.getValue() > 0.9);
    }

    @Test
    void seasonalDipSeenLastYearTooIsNoChurnSignal() {
        // every summer the farm uses ten times less than in spring
        CustomerFixture c = new CustomerFixture().profile(CustomerCategory.AGRICULTURAL, "2000-01-01")
                .daily("2023-01-01", "2024-09-30", d -> {
                    int m = java.time.LocalDate.ofEpochDay(d).getMonthValue();
                    return m >= 6 && m <= 8 ? 10 : 100;
                });
        List<SegmentAlert> alerts = c.evaluateDaily("2024-03-01", "2024-09-30");
        assertThat(alerts).noneMatch(a -> a.getType() == AlertType.CHURN_RISK_RAISED);
    }

    @Test
    void silentMeterRaisesChurnWithoutAnyNewEvent() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-05-31", d -> 2000);
        c.evaluateDaily("2024-05-01", "2024-05-31");
        assertThat(c.last().segment().getChurnRisk()).isEqualTo(ChurnRisk.LOW);
        c.evaluateDaily("2024-06-01", "2024-07-15");
        CustomerSegment s = c.last().segment();
        assertThat(s.getFactors()).anyMatch(f -> f.getName().equals("meterSilence") && f.getValue() == 45);
        assertThat(s.getChurnRisk()).isNotEqualTo(ChurnRisk.LOW);
    }

    @Test
    void closedAccountIsHighChurnRisk() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-05-31", d -> 2000);
        c.evaluateDaily("2024-05-01", "2024-05-31");
        c.profile(GIC, "2010-01-01", CustomerStatus.CLOSED, "2024-06-01");
        c.evaluateDaily("2024-06-01", "2024-06-30");
        assertThat(c.last().segment().getChurnScore()).isEqualTo(100.0);
        assertThat(c.last().segment().getChurnRisk()).isEqualTo(ChurnRisk.HIGH);
        assertThat(c.memory.closedOnDay).isEqualTo(day("2024-06-01"));
    }

    @Test
    void contractEndApproachingAddsChurnPoints() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01").contractEnds("2024-07-01")
                .daily("2023-01-01", "2024-06-30", d -> 2000);
        double far = factor(c.evaluate(day("2024-03-01")).segment(), "contractEnd");
        double near = factor(c.evaluate(day("2024-06-20")).segment(), "contractEnd");
        assertThat(far).isZero();
        assertThat(near).isGreaterThan(8);
    }

    /** The same plant, opened {@code opened}, evaluated on 2024-06-30. */
    private static CustomerSegment plantOpened(String opened) {
        CustomerFixture c = new CustomerFixture().profile(GIC, opened)
                .daily("2023-01-01", "2024-06-30", d -> 2000);
        c.monthlyBills("2023-01-05", 18, 1500, -2);
        return c.evaluate(day("2024-06-30")).segment();
    }

    @Test
    void threeYearCustomerOutranksTenYearCustomerAllElseEqual() {
        CustomerSegment three = plantOpened("2021-06-30");
        CustomerSegment ten = plantOpened("2014-06-30");
        assertThat(three.getChurnScore()).isGreaterThan(ten.getChurnScore());
        assertThat(factor(three, "shortTenure")).isGreaterThan(factor(ten, "shortTenure"));
        // tenure is the only difference between them
        assertThat(three.getChurnScore() - factor(three, "shortTenure"))
                .isCloseTo(ten.getChurnScore() - factor(ten, "shortTenure"), within(0.001));
    }

    @ParameterizedTest(name = "opened {0}: shortTenure {1} points")
    @CsvSource({
            "2024-06-30, 10.00", // a new customer: full points
            "2021-06-30, 5.00",  // one half-life (3 years)
            "2018-06-30, 2.50",  // two
            "2014-06-30, 1.00",  // ten years still counts, a little
            "1994-06-30, 0.01",  // thirty years: next to nothing
    })
    void tenurePointsHalveWithEveryHalfLife(String opened, double points) {
        assertThat(factor(plantOpened(opened), "shortTenure")).isCloseTo(points, within(0.011));
    }

    @Test
    void churnScoresOfAVariedPopulationRarelyTie() {
        // A population of customer states as varied as a utility's: category, tenure 0-25 years, size, seasonal
        // and trending consumption with day-to-day noise, payment habits. With a score that cannot rank them, most
        // of these ordinary customers would tie at 0. At most 10% may share one value: beyond that a tie spans
        // more than a decile, and the top-decile lift and the decile calibration of the score report are
        // undefined on it.
        SplittableRandom random = new SplittableRandom(23);
        java.util.Map<Double, Integer> counts = new java.util.HashMap<>();
        int n = 400;
        for (int i = 0; i < n; i++) {
            CustomerCategory cat = CustomerCategory.values()[random.nextInt(4)];
            double base = Math.exp(random.nextDouble(2, 10));
            double trend = random.nextDouble(-0.1, 0.1); // a year's drift
            double season = random.nextDouble(0, 0.3);
            double noise = random.nextDouble(0.02, 0.3);
            long seed = random.nextLong();
            SplittableRandom days = new SplittableRandom(seed);
            int opened = day("2024-06-30") - random.nextInt(25 * 365);
            CustomerFixture c = new CustomerFixture().profile(cat, java.time.LocalDate.ofEpochDay(opened).toString())
                    .daily("2023-01-01", "2024-06-30", d -> base * (1 + trend * (d - day("2023-01-01")) / 365.0)
                            * (1 + season * Math.sin(2 * Math.PI * d / 365.25))
                            * (1 + noise * (days.nextDouble() * 2 - 1)));
            c.monthlyBills("2023-01-05", 18, base * 25, random.nextInt(10) < 8 ? -3 : random.nextInt(1, 30));
            CustomerSegment s = c.evaluate(day("2024-06-30")).segment();
            counts.merge(s.getChurnScore(), 1, Integer::sum);
        }
        int most = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        assertThat(most).as("customers sharing the most common churn score").isLessThanOrEqualTo(n / 10);
    }

    @Test
    void noSegmentBeforeAProfileIsInForce() {
        CustomerFixture c = new CustomerFixture().daily("2024-01-01", "2024-02-01", d -> 100);
        assertThat(c.evaluate(day("2024-02-01"))).isNull();
        c.profile(GIC, "2010-01-01", CustomerStatus.ACTIVE, "2024-02-05");
        assertThat(c.evaluate(day("2024-02-03"))).isNull(); // the profile is dated later
        assertThat(c.evaluate(day("2024-02-05"))).isNotNull();
    }

    @Test
    void warmUpRaisesNoAlertsAndTheFirstSegmentIsAlwaysWritten() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2000-01-01")
                .daily("2024-01-01", "2024-03-31", d -> d % 2 == 0 ? 9000 : 100);
        Evaluation first = c.evaluate(day("2024-01-01"));
        assertThat(first.emit()).isTrue();
        List<SegmentAlert> alerts = c.evaluateDaily("2024-01-02", "2024-01-28");
        assertThat(alerts).isEmpty();
    }

    @Test
    void alertIdsAreDeterministicAndDistinct() {
        String a = SegmentationModel.alertId("C1", AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT", 1000);
        assertThat(SegmentationModel.alertId("C1", AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT", 1000)).isEqualTo(a);
        assertThat(SegmentationModel.alertId("C1", AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT", 2000)).isNotEqualTo(a);
        assertThat(SegmentationModel.alertId("C2", AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT", 1000)).isNotEqualTo(a);
    }

    @Test
    void unchangedCustomerIsNotRewrittenEveryDayButRefreshedMonthly() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2000-01-01")
                .daily("2023-01-01", "2024-08-31", d -> 1000);
        c.evaluateDaily("2024-06-01", "2024-08-31");
        long written = c.evaluations.stream().filter(Evaluation::emit).count();
        assertThat(written).isBetween(3L, 5L); // the first, then one refresh every 30 days
    }

    @Test
    void recommendedActionsFollowThePlaybook() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-06-30", d -> 1000);
        c.bill("B1", "2024-01-05", "2024-01-25", 800);
        CustomerSegment s = c.evaluate(day("2024-06-30")).segment();
        assertThat(s.getCreditRating()).isEqualTo(CreditRating.C);
        assertThat(s.getRecommendedActions()).first().isEqualTo(CustomerFixture.MODEL.action(s.getValueTier().name()));
        assertThat(s.getRecommendedActions()).contains(CustomerFixture.MODEL.action("CREDIT_C"));
    }

    @Test
    void growingCustomerIsFlaggedPotentialKeyAccountAfterWarmUp() {
        // 0.9 GWh a year, growing 60% on the year: high current and potential value, on course to 1.5 GWh
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2023-12-31", d -> 2500)
                .daily("2024-01-01", "2024-06-30", d -> 4000);
        c.monthlyBills("2023-01-05", 18, 2500 * 30 * 0.8, -3);
        List<SegmentAlert> alerts = c.evaluateDaily("2023-03-01", "2024-06-30");
        assertThat(alerts).extracting(SegmentAlert::getType).contains(AlertType.POTENTIAL_KEY_ACCOUNT_IDENTIFIED);
        assertThat(c.last().segment().getPotentialKeyAccount()).isTrue();
        assertThat(c.last().segment().getRecommendedActions()).contains(CustomerFixture.MODEL.action("POTENTIAL_KEY_ACCOUNT"));
    }

    @Test
    void keyAccountKeepsItsTierJustBelowTheSizeFloor() {
        // 1.6 GWh a year, then 1.45 GWh: below the 1.5 GWh floor but above 90% of it
        CustomerFixture c = new CustomerFixture().profile(GIC, "2005-01-01")
                .daily("2023-01-01", "2023-12-31", d -> 1_600_000 / 365.0)
                .daily("2024-01-01", "2024-12-31", d -> 1_450_000 / 365.0);
        c.monthlyBills("2023-01-05", 24, 1_600_000 / 12.0 * 0.8, -3);
        c.evaluateDaily("2023-02-01", "2023-12-31");
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
        List<SegmentAlert> alerts = c.evaluateDaily("2024-01-01", "2024-12-31");
        assertThat(alerts).extracting(SegmentAlert::getType).doesNotContain(AlertType.KEY_ACCOUNT_EXITED);
        assertThat(c.last().segment().getValueTier()).isEqualTo(ValueTier.KEY_ACCOUNT);
    }

    @Test
    void holidayThatMovesWithTheLunarCalendarIsComparedWithLastYearsHoliday() {
        // a plant that idles for the Spring Festival: 2023-01-22 and 2024-02-10, three weeks apart
        java.util.function.IntPredicate festival = d -> (d >= day("2023-01-15") && d < day("2023-02-12"))
                || (d >= day("2024-02-03") && d < day("2024-03-02"));
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2022-10-01", "2024-03-31", d -> festival.test(d) ? 300 : 3000);
        List<SegmentAlert> alerts = c.evaluateDaily("2024-01-15", "2024-03-31");
        assertThat(alerts).extracting(SegmentAlert::getType).doesNotContain(AlertType.CHURN_RISK_RAISED);
    }

    @Test
    void meterReportingATokenValueCountsAsSilent() {
        CustomerFixture c = new CustomerFixture().profile(GIC, "2010-01-01")
                .daily("2023-01-01", "2024-03-31", d -> 3000)
                .daily("2024-04-01", "2024-06-30", d -> 1);
        c.evaluateDaily("2024-05-01", "2024-06-30");
        CustomerSegment s = c.last().segment();
        assertThat(s.getFactors()).anyMatch(f -> f.getName().equals("meterSilence") && f.getValue() >= 90);
        assertThat(s.getChurnRisk()).isEqualTo(ChurnRisk.HIGH);
    }

    private static double factor(CustomerSegment s, String name) {
        return s.getFactors().stream().filter(f -> f.getName().equals(name)).findFirst().orElseThrow().getContribution();
    }
}
