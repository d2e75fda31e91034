package io.gridtier.generator;

import io.gridtier.evaluation.Outcome;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.CustomerCategory;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * GridTier's built-in population generator: a reproducible synthetic customer base of an electricity utility,
 * with the ground truth of which customers were scripted to grow into key accounts, churn or default.
 *
 * <p>Writes {@code events.jsonl} (CustomerProfile, MeterReading, BillIssued and PaymentReceived lines in the
 * replay format, in arrival order, with realistic re-sends, corrections, late batches and bad lines),
 * {@code ground-truth.csv}, {@code outcomes.csv} (the day each scripted trajectory reached its outcome) and
 * {@code README.txt}. Consumption shapes imitate published utility load
 * patterns; <b>billing and payment behaviour is synthetic</b>, since no public per-customer billing or payment
 * data exists. The same {@link GeneratorOptions} give byte-identical files.
 */
public final class PopulationGenerator {
    public static final String EVENTS_FILE = "events.jsonl";
    public static final String GROUND_TRUTH_FILE = "ground-truth.csv";
    public static final String OUTCOMES_FILE = "outcomes.csv";
    /** Arrears older than this many days make a defaulter DEFAULTED (the model's credit.overrideArrearsDays). */
    static final int DEFAULT_ARREARS_DAYS = 90;
    public static final String README_FILE = "README.txt";
    public static final String SYNTHETIC_BILLING_NOTICE = "Billing and payment behaviour is SYNTHETIC: no public "
            + "per-customer billing, payment or arrears data exists.";

    private final GeneratorOptions options;

    public PopulationGenerator(GeneratorOptions options) {
        this.options = options;
    }

    public GenerationSummary generate(Path outDir) throws IOException {
        return generate(outDir, message -> { });
    }

    /** Generates into {@code outDir} (created if missing; its three files are overwritten). */
    public GenerationSummary generate(Path outDir, Consumer<String> progress) throws IOException {
        long started = System.nanoTime();
        Files.createDirectories(outDir);
        ZoneId zone = options.zone();
        LocalDate start = options.start();
        LocalDate end = options.end();
        int days = (int) ChronoUnit.DAYS.between(start, end);

        // Separate streams, so that a change in one part of the script does not reshuffle the others.
        SplittableRandom master = new SplittableRandom(options.seed());
        SplittableRandom populationRng = master.split();
        SplittableRandom weatherRng = master.split();
        SplittableRandom headEndRng = master.split();

        List<SyntheticCustomer> customers = Population.build(options, populationRng);
        ConsumptionCalendar calendar = new ConsumptionCalendar(start, days, weatherRng);
        JsonLineCodec codec = new JsonLineCodec(zone);

        ArrivalQueue queue;
        MeterHeadEnd headEnd;
        try (BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(outDir.resolve(EVENTS_FILE)), StandardCharsets.UTF_8), 1 << 16)) {
            queue = new ArrivalQueue(writer);
            headEnd = new MeterHeadEnd(codec, queue, headEndRng);
            BillingDesk billing = new BillingDesk(zone, codec, queue);
            long dayStart = start.atStartOfDay(zone).toInstant().toEpochMilli();
            long written = 0;
            for (int i = 0; i < days; i++) {
                LocalDate day = start.plusDays(i);
                long nextDayStart = day.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
                headEnd.startDay(customers.size());
                for (SyntheticCustomer c : customers) {
                    publishProfileChanges(c, day, zone, codec, queue);
                    billing.closePeriod(c, day);
                    billing.issueBills(c, day);
                    if (c.connectedOn(day)) {
                        double kwh = c.suppliedOn(day) ? consumption(c, calendar, i, day) : 0.0;
                        c.periodKwh += kwh;
                        if (c.trajectory == Trajectory.GROWER) {
                            c.countTowardsKeyAccountSize(i, day, kwh, keyAccountFloor(c.category));
                        }
                        if (!c.meterSilentOn(day)) {
                            headEnd.upload(c, dayStart, nextDayStart, kwh);
                        }
                    }
                    billing.receivePayments(c, day);
                }
                queue.writeArrivedBefore(nextDayStart);
                if (day.plusDays(1).getDayOfMonth() == 1 || i == days - 1) {
                    written = 0;
                    for (LineKind kind : LineKind.values()) {
                        written += queue.count(kind);
                    }
                    progress.accept(String.format("generated %s (%d of %d days), %,d lines written",
                            day.withDayOfMonth(1).toString().substring(0, 7), i + 1, days, written));
                }
                dayStart = nextDayStart;
            }
            queue.writeAll();
        }

        GenerationSummary summary = summarise(customers, queue, headEnd, Duration.ofNanos(System.nanoTime() - started));
        GroundTruth.write(outDir.resolve(GROUND_TRUTH_FILE), groundTruth(customers));
        Outcome.write(outDir.resolve(OUTCOMES_FILE), outcomes(customers, end));
        Files.writeString(outDir.resolve(README_FILE), readme(summary), StandardCharsets.UTF_8);
        return summary.withElapsed(Duration.ofNanos(System.nanoTime() - started));
    }

    private static void publishProfileChanges(SyntheticCustomer c, LocalDate day, ZoneId zone, JsonLineCodec codec,
                                              ArrivalQueue queue) {
        while (c.nextProfileChange < c.profileChanges.size()
                && !c.profileChanges.get(c.nextProfileChange).day().isAfter(day)) {
            SyntheticCustomer.ProfileChange change = c.profileChanges.get(c.nextProfileChange++);
            c.apply(change);
            Instant updatedAt = change.day().atStartOfDay(zone).plusSeconds(change.secondOfDay()).toInstant();
            queue.add(LineKind.PROFILE, updatedAt.toEpochMilli(), codec.encode(c.profile(updatedAt)));
        }
    }

    /** kWh of one local day: annual size, calendar shape, drift, script and day-to-day noise. */
    private static double consumption(SyntheticCustomer c, ConsumptionCalendar calendar, int dayIndex, LocalDate day) {
        double kwh = c.baseAnnualKwh / 365.0
                * calendar.factor(c.pattern, dayIndex)
                * Math.exp(Math.log1p(c.annualDrift) * dayIndex / 365.25)
                * c.scriptedLevel(day)
                * RandomDraws.meanOneNoise(c.rng, c.pattern.noiseSigma);
        return Math.round(kwh * 100.0) / 100.0;
    }

    private GenerationSummary summarise(List<SyntheticCustomer> customers, ArrivalQueue queue, MeterHeadEnd headEnd,
                                        Duration elapsed) {
        Map<LineKind, Long> lines = new EnumMap<>(LineKind.class);
        for (LineKind kind : LineKind.values()) {
            lines.put(kind, queue.count(kind));
        }
        Map<CustomerCategory, Map<Trajectory, Integer>> table = new EnumMap<>(CustomerCategory.class);
        for (CustomerCategory category : CustomerCategory.values()) {
            Map<Trajectory, Integer> row = new EnumMap<>(Trajectory.class);
            for (Trajectory t : Trajectory.values()) {
                row.put(t, 0);
            }
            table.put(category, row);
        }
        int newConnections = 0;
        int intervalMeters = 0;
        for (SyntheticCustomer c : customers) {
            table.get(c.category).merge(c.trajectory, 1, Integer::sum);
            newConnections += c.newConnection ? 1 : 0;
            intervalMeters += c.intervalMeter ? 1 : 0;
        }
        return new GenerationSummary(options, lines, table, newConnections, intervalMeters,
                headEnd.delayedBatches(), queue.outOfOrderLines(), queue.maxLatenessMillis(),
                queue.maxCorrectionLatenessMillis(), headEnd.outageMeterDays(), elapsed);
    }

    private static List<GroundTruth> groundTruth(List<SyntheticCustomer> customers) {
        List<GroundTruth> rows = new ArrayList<>(customers.size());
        for (SyntheticCustomer c : customers) {
            rows.add(new GroundTruth(c.customerId, c.category, c.trajectory, c.changeStart));
        }
        return rows;
    }

    private static double keyAccountFloor(CustomerCategory category) {
        return category == CustomerCategory.LARGE_INDUSTRIAL ? Population.LI_KEY_ACCOUNT_KWH : Population.GIC_KEY_ACCOUNT_KWH;
    }

    /**
     * The day each scripted trajectory reached its outcome, when that is before the end: a churner when its
     * consumption has fallen to its churned level (the end of its ramp) or its meter has gone silent; a
     * defaulter when the first bill it left unpaid is more than 90 days past due; a grower on the first day
     * its trailing 365 days of consumption reach its category's key-account floor.
     */
    static List<Outcome> outcomes(List<SyntheticCustomer> customers, LocalDate end) {
        List<Outcome> rows = new ArrayList<>();
        for (SyntheticCustomer c : customers) {
            LocalDate date = switch (c.trajectory) {
                case CHURNER -> c.changeStart.plusDays(c.churnRampDays);
                case DEFAULTER -> c.firstUnpaidDue == null ? null : c.firstUnpaidDue.plusDays(DEFAULT_ARREARS_DAYS + 1);
                case GROWER -> c.reachedKeyAccountSize;
                default -> null;
            };
            if (date != null && date.isBefore(end)) {
                Outcome.Kind kind = switch (c.trajectory) {
                    case CHURNER -> Outcome.Kind.CHURNED;
                    case DEFAULTER -> Outcome.Kind.DEFAULTED;
                    default -> Outcome.Kind.BECAME_KEY_ACCOUNT;
                };
                rows.add(new Outcome(c.customerId, kind, date));
            }
        }
        return rows;
    }

    private String readme(GenerationSummary summary) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);
        out.println("GridTier synthetic customer population");
        out.println("======================================");
        out.println("Generated by io.gridtier.generator.PopulationGenerator (bin/gridtier generate).");
        out.println();
        out.printf("Seed %d; %d customers; %d months from %s to %s (exclusive); zone %s.%n", options.seed(),
                options.customers(), options.months(), options.start(), options.end(), options.zone());
        out.printf("Reading interval %d min; %d of the largest industrial and commercial customers read every %d min.%n",
                options.intervalMinutes(), summary.intervalMeters(), options.fineIntervalMinutes());
        out.println("The same seed and options give byte-identical files.");
        out.println();
        out.println("WHAT IS REAL AND WHAT IS SYNTHETIC");
        out.println("  All customers are invented. Consumption follows published utility load shapes: weekday and");
        out.println("  weekend for industry and commerce, summer and winter peaks for households, the irrigation");
        out.println("  season for agriculture, the Spring Festival and National Day dips for industry.");
        out.println("  " + SYNTHETIC_BILLING_NOTICE);
        out.println("  Tariffs resemble Chinese provincial tariffs, rounded.");
        out.println();
        out.println("FILES");
        out.println("  events.jsonl      input events in the JSON-lines replay format of CONTRACT.md (CustomerProfile,");
        out.println("                    MeterReading, BillIssued, PaymentReceived), in the order they arrive");
        out.println("  ground-truth.csv  customerId,category,trajectory,changeStart: the scripted trajectory of every");
        out.println("                    customer and the local day its change starts (empty for STABLE)");
        out.println("  outcomes.csv      customerId,outcome,date: the local day each scripted trajectory reached its");
        out.println("                    outcome - CHURNED (a churner's consumption down to its churned level or its");
        out.println("                    meter silent), DEFAULTED (a defaulter's first unpaid bill over 90 days past");
        out.println("                    due), BECAME_KEY_ACCOUNT (a grower's trailing 365 days at the key-account");
        out.println("                    floor); only outcomes reached before the end. What scores are measured");
        out.println("                    against (io.gridtier.evaluation.ScoreReport)");
        out.println();
        out.println("TRAJECTORIES");
        out.println("  GROWER     industrial or commercial; starts at 0.5-1.2 GWh/yr and from about 12 months before");
        out.println("             the end grows along an S-curve to a trailing 12 months of 2-8 GWh (>= 2.5x its first");
        out.println("             year); asks for more contract capacity soon after growth starts");
        out.println("  CHURNER    from a day in the second year, consumption falls to 5-40% of its seasonal level");
        out.println("             within three weeks, or the meter goes silent; payments often deteriorate; some are");
        out.println("             SUSPENDED and CLOSED (a C&I churner's contract is not renewed)");
        out.println("  DEFAULTER  stops paying (a few make one token payment); arrears grow past 90 days");
        out.println("  STABLE     everyone else: seasonal swings, +-5%/yr drift, ordinary payment habits; large stable");
        out.println("             customers are key accounts from the start. Non-growers are kept at least 25% away");
        out.println("             from the key-account floors (1.5 GWh/yr general C&I, 3 GWh/yr large industrial).");
        out.println();
        summary.printTables(out);
        out.println();
        out.println("EVALUATING ALERTS");
        out.println("  io.gridtier.generator.AlertEvaluation scores KEY_ACCOUNT_ENTERED against GROWER and");
        out.println("  CHURN_RISK_RAISED against CHURNER, per customer, counting a true customer's alerts from");
        out.println("  30 days before its changeStart. Key accounts exist from the start, so pass --from to skip");
        out.println("  alerts raised while the engine warms up (e.g. the first 12 months).");
        out.flush();
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
