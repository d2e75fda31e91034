package io.gridtier.generator;

import io.gridtier.evaluation.Outcome;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.ReadingQuality;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The generated files, read back as the engine would read them, against what the generator promises. */
class PopulationGeneratorTest {
    private static final Duration SIX_HOURS = Duration.ofHours(6);

    @TempDir
    static Path dir;
    static GeneratedPopulation population;

    @BeforeAll
    static void generate() throws IOException {
        GeneratorOptions options = GeneratorOptions.defaults().withCustomers(400).withSeed(11).withHourlyShare(0.03);
        population = GeneratedPopulation.generate(options, dir);
    }

    @Test
    void everyLineDecodesExceptTheInjectedBadLines() {
        GenerationSummary summary = population.summary;
        assertThat(population.lines).hasSize((int) summary.totalLines());
        assertThat(population.failures.getOrDefault(DeadLetterReason.UNPARSEABLE, 0))
                .isEqualTo((int) summary.lines(LineKind.BAD_UNPARSEABLE));
        assertThat(population.failures.getOrDefault(DeadLetterReason.MISSING_FIELD, 0))
                .isEqualTo((int) summary.lines(LineKind.BAD_MISSING_CUSTOMER_ID));
        assertThat(population.negativeKwhLines).isEqualTo((int) summary.lines(LineKind.BAD_NEGATIVE_KWH));
        assertThat(population.failures.keySet())
                .containsOnly(DeadLetterReason.UNPARSEABLE, DeadLetterReason.MISSING_FIELD);
        assertThat(population.lines.stream().filter(l -> l.failure() != null).count())
                .isEqualTo(summary.badLines());
    }

    @Test
    void injectsAboutOneBadLineInTwoThousand() {
        double share = population.summary.badLines() / (double) population.summary.totalLines();
        assertThat(share).isBetween(0.0002, 0.001);
        assertThat(population.summary.lines(LineKind.BAD_UNPARSEABLE)).isPositive();
        assertThat(population.summary.lines(LineKind.BAD_NEGATIVE_KWH)).isPositive();
        assertThat(population.summary.lines(LineKind.BAD_MISSING_CUSTOMER_ID)).isPositive();
    }

    @Test
    void categoriesFollowUtilityProportions() {
        Map<CustomerCategory, Integer> counts = new HashMap<>();
        for (List<CustomerProfile> history : population.profiles.values()) {
            counts.merge(history.get(0).getCategory(), 1, Integer::sum);
        }
        double n = population.options.customers();
        assertThat(population.profiles).hasSize(population.options.customers());
        assertThat(counts.get(CustomerCategory.LARGE_INDUSTRIAL) / n).isCloseTo(0.015, within(0.005));
        assertThat(counts.get(CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL) / n).isCloseTo(0.18, within(0.01));
        assertThat(counts.get(CustomerCategory.RESIDENTIAL) / n).isCloseTo(0.78, within(0.01));
        assertThat(counts.get(CustomerCategory.AGRICULTURAL) / n).isCloseTo(0.025, within(0.005));
        for (GroundTruth row : population.truth) {
            assertThat(population.profiles.get(row.customerId()).get(0).getCategory()).isEqualTo(row.category());
        }
    }

    @Test
    void largeIndustrialCustomersHaveAtLeast315KvaAtTenKvOrAbove() {
        for (List<CustomerProfile> history : population.profiles.values()) {
            for (CustomerProfile p : history) {
                if (p.getCategory() == CustomerCategory.LARGE_INDUSTRIAL) {
                    assertThat(p.getContractCapacityKva()).isGreaterThanOrEqualTo(315.0);
                    assertThat(p.getVoltageKv()).isGreaterThanOrEqualTo(10.0);
                }
            }
        }
    }

    @Test
    void trajectoriesFollowTheirQuotas() {
        long industryAndCommerce = population.truth.stream()
                .filter(t -> Population.isIndustryOrCommerce(t.category())).count();
        assertThat(population.withTrajectory(Trajectory.GROWER)).hasSize((int) Math.round(industryAndCommerce * 0.03))
                .allMatch(t -> Population.isIndustryOrCommerce(t.category()));
        int n = population.options.customers();
        assertThat(population.withTrajectory(Trajectory.CHURNER)).hasSize((int) Math.round(n * 0.04));
        assertThat(population.withTrajectory(Trajectory.DEFAULTER)).hasSize((int) Math.round(n * 0.02));
        for (GroundTruth row : population.truth) {
            assertThat(row.changeStart() == null).as(row.toString()).isEqualTo(row.trajectory() == Trajectory.STABLE);
        }
    }

    @Test
    void growersEndWithAtLeastTwiceTheirFirstYearAcrossTheKeyAccountFloor() {
        LocalDate start = population.options.start();
        LocalDate end = population.options.end();
        assertThat(population.withTrajectory(Trajectory.GROWER)).isNotEmpty();
        for (GroundTruth grower : population.withTrajectory(Trajectory.GROWER)) {
            double firstYear = population.kwh(grower.customerId(), start, start.plusDays(365));
            double lastYear = population.kwh(grower.customerId(), end.minusDays(365), end);
            assertThat(firstYear).as(grower.customerId()).isBetween(0.4e6, 1.3e6);
            assertThat(lastYear).as(grower.customerId()).isGreaterThanOrEqualTo(2.0 * firstYear).isBetween(2.0e6, 8.0e6);
            assertThat(grower.changeStart()).isBetween(end.minusMonths(12).minusDays(10), end.minusMonths(12).plusDays(30));
        }
    }

    @Test
    void outcomesGiveTheDayEachScriptedTrajectoryReachedItsOutcome() throws IOException {
        List<Outcome> outcomes = Outcome.read(population.dir.resolve(PopulationGenerator.OUTCOMES_FILE));
        Map<String, Outcome> byCustomer = new HashMap<>();
        for (Outcome o : outcomes) {
            assertThat(byCustomer.put(o.customerId(), o)).as("one outcome per customer").isNull();
            assertThat(o.date()).isBefore(population.options.end());
        }
        for (GroundTruth row : population.truth) {
            Outcome o = byCustomer.get(row.customerId());
            switch (row.trajectory()) {
                case STABLE -> assertThat(o).as(row.customerId()).isNull();
                case CHURNER -> {
                    // the fall takes at most three weeks; a silent meter is silent from its changeStart
                    assertThat(o.outcome()).isEqualTo(Outcome.Kind.CHURNED);
                    assertThat(o.date()).isBetween(row.changeStart(), row.changeStart().plusDays(21));
                    double before = population.kwh(row.customerId(), row.changeStart().minusDays(28), row.changeStart());
                    double after = population.kwh(row.customerId(), o.date(), o.date().plusDays(28));
                    assertThat(after).as(row.customerId()).isLessThan(0.75 * before);
                }
                case DEFAULTER -> {
                    // a bill it never paid fell due 91 days before: its arrears are then over 90 days old
                    assertThat(o.outcome()).isEqualTo(Outcome.Kind.DEFAULTED);
                    LocalDate due = o.date().minusDays(91);
                    assertThat(population.bills.get(row.customerId())).as(row.customerId())
                            .anyMatch(b -> b.getDueDate().equals(due));
                    assertThat(population.payments.getOrDefault(row.customerId(), List.of()))
                            .noneMatch(p -> p.getBillId() != null && population.bills.get(row.customerId()).stream()
                                    .anyMatch(b -> b.getDueDate().equals(due) && b.getBillId().equals(p.getBillId())));
                }
                case GROWER -> {
                    // the first day the trailing 365 days reach the key-account floor (1% slack for meter outages)
                    assertThat(o.outcome()).isEqualTo(Outcome.Kind.BECAME_KEY_ACCOUNT);
                    double floor = row.category() == CustomerCategory.LARGE_INDUSTRIAL ? 3.0e6 : 1.5e6;
                    assertThat(o.date()).isAfter(row.changeStart());
                    assertThat(population.kwh(row.customerId(), o.date().minusDays(364), o.date().plusDays(1)))
                            .as(row.customerId()).isGreaterThanOrEqualTo(0.99 * floor);
                    assertThat(population.kwh(row.customerId(), o.date().minusDays(365), o.date()))
                            .as(row.customerId()).isLessThan(floor);
                }
            }
        }
    }

    @Test
    void keyAccountsExistFromTheStart() {
        LocalDate start = population.options.start();
        long bigStable = population.truth.stream()
                .filter(t -> t.trajectory() == Trajectory.STABLE && t.category() == CustomerCategory.LARGE_INDUSTRIAL)
                .filter(t -> population.kwh(t.customerId(), start, start.plusDays(365)) >= 3.0e6)
                .count();
        assertThat(bigStable).isPositive();
    }

    @Test
    void churnersConsumptionFallsAfterTheirChangeStartOrTheirMeterGoesSilent() {
        assertThat(population.withTrajectory(Trajectory.CHURNER)).isNotEmpty();
        for (GroundTruth churner : population.withTrajectory(Trajectory.CHURNER)) {
            LocalDate from = churner.changeStart().plusDays(30);
            LocalDate to = churner.changeStart().plusDays(60);
            double after = population.kwh(churner.customerId(), from, to);
            double yearBefore = population.kwh(churner.customerId(), from.minusDays(364), to.minusDays(364));
            assertThat(yearBefore).as(churner.customerId()).isPositive();
            // scripted at 5-40% of the seasonal level; a year's drift, weather and noise can add a little
            assertThat(after / yearBefore).as(churner.customerId() + " against the same days a year earlier")
                    .isLessThanOrEqualTo(0.5);
            assertThat(churner.changeStart()).isAfterOrEqualTo(population.options.start().plusMonths(12));
        }
    }

    @Test
    void stableCustomersKeepTheirLevelYearOnYearDespiteSeasonalSwings() {
        LocalDate end = population.options.end();
        for (LocalDate asOf : List.of(end.minusMonths(10), end.minusMonths(6), end.minusMonths(3), end)) {
            for (GroundTruth row : population.withTrajectory(Trajectory.STABLE)) {
                double yearBefore = population.kwh(row.customerId(), asOf.minusDays(30 + 364), asOf.minusDays(364));
                if (population.reportedDays(row.customerId(), asOf.minusDays(30 + 364), asOf.minusDays(364)) < 30) {
                    continue; // not connected a year earlier
                }
                double last30 = population.kwh(row.customerId(), asOf.minusDays(30), asOf);
                assertThat(last30 / yearBefore).as(row.customerId() + " 30 days to " + asOf).isGreaterThan(0.6);
            }
        }
    }

    @Test
    void defaultersStopPayingAndTheirArrearsAgePastNinetyDays() {
        ZoneId zone = population.options.zone();
        LocalDate end = population.options.end();
        for (GroundTruth defaulter : population.withTrajectory(Trajectory.DEFAULTER)) {
            Instant stop = defaulter.changeStart().atStartOfDay(zone).toInstant();
            List<PaymentReceived> after = population.payments.getOrDefault(defaulter.customerId(), List.of()).stream()
                    .filter(p -> !p.getPaidAt().isBefore(stop)).toList();
            assertThat(after).as("payments after the default, at most a token without a bill reference")
                    .hasSizeLessThanOrEqualTo(1).allMatch(p -> p.getBillId() == null);
            List<BillIssued> bills = population.bills.get(defaulter.customerId());
            assertThat(bills).anyMatch(b -> !b.getIssuedAt().isBefore(stop) && b.getDueDate().isBefore(end.minusDays(90)));
        }
    }

    @Test
    void linesArriveInEventTimeOrderExceptLateBatchesWithinSixHoursAndCorrections() {
        Instant latest = Instant.MIN;
        int late = 0;
        for (GeneratedPopulation.Line line : population.lines) {
            if (line.failure() != null) {
                continue;
            }
            if (line.eventTime().isBefore(latest)) {
                Duration behind = Duration.between(line.eventTime(), latest);
                if (line.record() instanceof MeterReading r && r.getQuality() == ReadingQuality.CORRECTED) {
                    assertThat(behind).as("line " + line.number()).isLessThanOrEqualTo(Duration.ofDays(5));
                } else {
                    assertThat(behind).as("line " + line.number()).isLessThan(SIX_HOURS);
                    late++;
                }
            } else {
                latest = line.eventTime();
            }
        }
        assertThat(late).isEqualTo(population.summary.outOfOrderLines()).isPositive();
        assertThat(population.summary.maxLatenessMillis()).isLessThan(SIX_HOURS.toMillis());
    }

    @Test
    void reSentReadingsAreExactDuplicatesOfAnEarlierLine() {
        Set<String> seen = new HashSet<>();
        int duplicates = 0;
        for (GeneratedPopulation.Line line : population.lines) {
            if (!seen.add(line.text()) && line.failure() == null) {
                assertThat(line.record()).isInstanceOf(MeterReading.class);
                duplicates++;
            }
        }
        assertThat(duplicates).isEqualTo((int) population.summary.lines(LineKind.READING_RESENT)).isPositive();
    }

    @Test
    void estimatedReadingsAreCorrectedOneToFiveDaysLaterWithADifferentValue() {
        Map<String, MeterReading> estimated = new HashMap<>();
        int corrected = 0;
        for (GeneratedPopulation.Line line : population.lines) {
            if (line.failure() != null || !(line.record() instanceof MeterReading r)) {
                continue;
            }
            if (r.getQuality() == ReadingQuality.ESTIMATED) {
                estimated.put(r.getReadingId(), r);
            } else if (r.getQuality() == ReadingQuality.CORRECTED) {
                MeterReading estimate = estimated.remove(r.getReadingId());
                assertThat(estimate).as("the estimate comes first: " + r.getReadingId()).isNotNull();
                assertThat(r.getKwh()).isNotEqualTo(estimate.getKwh());
                corrected++;
            }
        }
        assertThat(estimated).as("estimates never corrected").isEmpty();
        assertThat(corrected).isEqualTo((int) population.summary.lines(LineKind.READING_ESTIMATED)).isPositive();
        assertThat(population.summary.maxCorrectionLatenessMillis()).isBetween(Duration.ofDays(1).toMillis(),
                Duration.ofDays(5).toMillis());
    }

    @Test
    void readingIdsNameTheMeterAndTheIntervalEndAndDailyReadingsEndAtLocalMidnight() {
        ZoneId zone = population.options.zone();
        for (GeneratedPopulation.Line line : population.lines) {
            if (line.failure() == null && line.record() instanceof MeterReading r) {
                assertThat(r.getReadingId()).isEqualTo(r.getMeterId() + "-" + r.getIntervalEnd().toEpochMilli());
                long minuteOfDay = r.getIntervalEnd().atZone(zone).toLocalTime().toSecondOfDay() / 60;
                assertThat(minuteOfDay % r.getIntervalMinutes()).as(r.getReadingId()).isZero();
            }
        }
    }

    @Test
    void intervalMetersReportEveryIntervalOfTheDay() {
        List<String> intervalCustomers = population.intervalMinutes.entrySet().stream()
                .filter(e -> e.getValue() < 1440).map(Map.Entry::getKey).toList();
        assertThat(intervalCustomers).hasSize(population.summary.intervalMeters()).isNotEmpty();
        Map<String, Integer> readingsOnDay = new HashMap<>();
        LocalDate day = population.options.start().plusDays(40);
        ZoneId zone = population.options.zone();
        for (GeneratedPopulation.Line line : population.lines) {
            if (line.failure() == null && line.record() instanceof MeterReading r && r.getIntervalMinutes() < 1440
                    && r.getQuality() != ReadingQuality.CORRECTED
                    && r.getIntervalEnd().minusMillis(1).atZone(zone).toLocalDate().equals(day)) {
                readingsOnDay.merge(r.getCustomerId(), 1, Integer::sum);
            }
        }
        for (String customerId : intervalCustomers) {
            if (population.reportedDays(customerId, day, day.plusDays(1)) == 1) {
                int expected = 1440 / population.intervalMinutes.get(customerId);
                assertThat(readingsOnDay.get(customerId)).as(customerId).isBetween(expected, expected + 3);
            }
        }
    }

    @Test
    void moneyIsWrittenWithTwoDecimals() {
        Pattern money = Pattern.compile("\"(amountDue|amount)\":(-?[0-9.E+]+)");
        int checked = 0;
        for (GeneratedPopulation.Line line : population.lines) {
            if (line.failure() != null) {
                continue;
            }
            Matcher m = money.matcher(line.text());
            if (m.find()) {
                assertThat(m.group(2)).as(line.text()).matches("[0-9]+\\.[0-9]{2}");
                checked++;
            }
        }
        assertThat(checked).isPositive();
    }

    @Test
    void paymentsShowEveryHabit() {
        List<PaymentReceived> all = population.payments.values().stream().flatMap(List::stream).toList();
        assertThat(all).anyMatch(p -> p.getBillId() == null);
        assertThat(all).anyMatch(p -> p.getChannel() == io.gridtier.schema.PaymentChannel.AUTO_DEBIT);
        assertThat(all).anyMatch(PaymentReceived::getReturned);
        Map<String, BillIssued> billsById = new HashMap<>();
        population.bills.values().forEach(list -> list.forEach(b -> billsById.put(b.getBillId(), b)));
        assertThat(all).as("partial payments").anyMatch(p -> p.getBillId() != null
                && p.getAmount().compareTo(billsById.get(p.getBillId()).getAmountDue()) < 0);
        assertThat(all).as("several bills at once").anyMatch(p -> p.getBillId() != null
                && p.getAmount().compareTo(billsById.get(p.getBillId()).getAmountDue()) > 0);
        assertThat(all).as("late payments").anyMatch(p -> p.getBillId() != null
                && p.getPaidAt().atZone(population.options.zone()).toLocalDate()
                        .isAfter(billsById.get(p.getBillId()).getDueDate().plusDays(5)));
    }

    @Test
    void newConnectionsAppearWhenTheyConnectAndClosedCustomersFallSilent() {
        ZoneId zone = population.options.zone();
        Instant start = population.options.start().atStartOfDay(zone).toInstant();
        int newConnections = 0;
        int closed = 0;
        for (Map.Entry<String, List<CustomerProfile>> e : population.profiles.entrySet()) {
            CustomerProfile first = e.getValue().get(0);
            LocalDate connected = first.getUpdatedAt().atZone(zone).toLocalDate();
            if (first.getUpdatedAt().isAfter(start)) {
                newConnections++;
                assertThat(first.getAccountOpened()).isEqualTo(connected);
                assertThat(population.reportedDays(e.getKey(), population.options.start(), connected)).isZero();
            }
            for (CustomerProfile p : e.getValue()) {
                if (p.getStatus() == CustomerStatus.CLOSED) {
                    closed++;
                    LocalDate closedOn = p.getUpdatedAt().atZone(zone).toLocalDate();
                    assertThat(population.truthById.get(e.getKey()).trajectory()).isEqualTo(Trajectory.CHURNER);
                    assertThat(population.reportedDays(e.getKey(), closedOn, population.options.end())).isZero();
                }
            }
        }
        assertThat(newConnections).isEqualTo(population.summary.newConnections()).isPositive();
        assertThat(closed).isPositive();
    }

    @Test
    void readmeSaysBillingIsSyntheticAndNamesTheSeed() throws IOException {
        String readme = java.nio.file.Files.readString(dir.resolve(PopulationGenerator.README_FILE));
        assertThat(readme).contains("SYNTHETIC").contains("Seed 11").contains("400 customers");
    }
}
