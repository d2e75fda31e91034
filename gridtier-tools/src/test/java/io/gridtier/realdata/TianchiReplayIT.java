package io.gridtier.realdata;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.job.FlinkSettings;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.replay.Replay;
import io.gridtier.replay.ReplayCluster;
import io.gridtier.replay.ReplaySummary;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.schema.ValueTier;
import org.apache.flink.metrics.Counter;
import org.apache.flink.runtime.client.JobStatusMessage;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.apache.flink.test.junit5.InjectMiniCluster;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The real job on real data: the Tianchi daily consumption of 1,454 enterprises of the Yangzhong
 * high-tech zone, 2015-01-01 .. 2016-09-30 (929,106 daily readings, no bills or payments: the data
 * set has none), converted by {@link TianchiConverter} and replayed by {@link Replay} with the
 * default configuration ({@code config/gridtier.yaml}) and model. Skipped only when the shared data
 * folder is absent; CI has it.
 *
 * <p>The replay runs on the class's MiniCluster ({@link ReplayCluster}), with the same Flink settings
 * the replay uses ({@link FlinkSettings}: RocksDB, managed memory, parallelism from the configuration)
 * plus an in-memory metrics reporter, so that the job's own reading counters can be checked against
 * the readings written. Everything lands under {@code target/realdata/tianchi-replay}; the events file
 * (185 MB) is deleted at the end, segments.jsonl and alerts.jsonl are kept for inspection.
 *
 * <p>What must hold on real data (one test each):
 * <ol>
 *   <li><b>Every reading is accounted for.</b> Readings written = readings the job counted
 *       (applied + duplicates + corrections, its {@code gridtier.type.READING.outcome.*} counters)
 *       + dead letters. The CSV has no duplicates and the lines are in event-time order, so: no
 *       dead letter, no duplicate, every enterprise with a reading has a final segment, and every
 *       customer has at least one segment in segments.jsonl.</li>
 *   <li><b>The key accounts are the largest consumers.</b> A(c) = enterprise c's consumption over the
 *       last 365 days of data (2015-10-02 .. 2016-09-30), straight from the CSV: the window of the
 *       job's last evaluation (2016-10-01 00:00 +08:00). An enterprise is <i>silent at the end</i>
 *       when each of its last {@value #SILENT_DAYS} days of data is at most
 *       {@value #SILENT_MAX_KWH} kWh. With M = the category's key-account minimum
 *       ({@code keyAccountMinAnnualKwh}, 1.5 GWh) and R its reference year (300,000 kWh):
 *       <ul>
 *         <li>every final KEY_ACCOUNT has A &ge; 0.9 M ({@code tiers.keyAccountFloorExitShare}: a key
 *             account keeps its tier down to 90% of the floor), unless it entered the tier less than
 *             {@code tiers.minDwellDays} before the end of the data (held by the dwell);</li>
 *         <li>every final KEY_ACCOUNT ranks in the top {@value #TOP_SHARE_PERCENT}% of all enterprises
 *             by A;</li>
 *         <li>every enterprise not silent at the end with A &ge; {@value #BIG_MULTIPLE} M is a
 *             KEY_ACCOUNT, and with A &ge; M at least HIGH_VALUE;</li>
 *         <li>no enterprise with A &lt; R / 2 is HIGH_VALUE or KEY_ACCOUNT;</li>
 *         <li>the tiers are ordered by consumption: the median A of KEY_ACCOUNT &gt; HIGH_VALUE &gt;
 *             STANDARD &gt; LOW_VALUE, and the Spearman rank correlation of the final value score with
 *             A is at least {@value #MIN_SPEARMAN}.</li>
 *       </ul>
 *       A value score that ignored consumption tops out near 37 points (STANDARD) and fails the
 *       third and fifth rules; one that ignored the key-account minimum fails the first.</li>
 *   <li><b>Placeholder meters are not valuable.</b> The constant placeholder meters found by the
 *       converter (74 on this file, constant 1 kWh a day) are never KEY_ACCOUNT nor HIGH_VALUE, in
 *       any segment.</li>
 *   <li><b>No flapping.</b> For each customer, every valueTier change in segments.jsonl whose asOf
 *       is more than {@code tiers.warmUpDays} after the customer's first segment comes at least
 *       {@code tiers.minDwellDays} after the tierSince of the tier it leaves; tierSince is the asOf of
 *       the change and does not move without a change.</li>
 *   <li><b>Explanations add up.</b> In every segment, the contributions of the VALUE, CHURN and
 *       CREDIT factors sum to valueScore, churnScore and creditScore within 0.01.</li>
 * </ol>
 * The run prints its timings, the tier distribution, a consumption-band by tier table and the churn
 * alerts by month. To check a candidate model against the real data, name its file in the system
 * property {@value #MODEL_PROPERTY} (e.g. {@code mvn verify -pl gridtier-tools -am -Dtest=none
 * -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=TianchiReplayIT -Dfailsafe.failIfNoSpecifiedTests=false
 * -Dgridtier.realdata.model=/path/model.yaml}).
 */
@Tag("realdata")
class TianchiReplayIT {
    static final int SILENT_DAYS = 30;
    static final double SILENT_MAX_KWH = 1.0;
    static final int TOP_SHARE_PERCENT = 7;
    static final double BIG_MULTIPLE = 3.0;
    static final double MIN_SPEARMAN = 0.75;
    static final double SUM_TOLERANCE = 0.01;
    static final String CSV = "tianchi-power/daily_kwh_wide.csv";
    /** System property naming another model file to check against the real data (default: the configured one). */
    static final String MODEL_PROPERTY = "gridtier.realdata.model";
    static final CustomerCategory CATEGORY = CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL;
    /** At most this many examples of each kind of violation are kept for the failure message. */
    static final int EXAMPLES = 20;

    static Path work;
    static Path events;
    static TianchiConversion conversion;
    static ReplaySummary summary;
    static ModelConfig model;
    static Map<String, Long> readingCounters;
    static long profilesApplied;
    static CsvYear year;
    static Scan scan;
    static Instant endOfData;
    static double convertSeconds, replaySeconds, scanSeconds;

    private static final InMemoryReporter REPORTER = InMemoryReporter.createWithRetainedMetrics();
    @RegisterExtension
    static final MiniClusterExtension FLINK = ReplayCluster.of(TianchiReplayIT::config,
            Path.of("target", "realdata", "minicluster"), REPORTER::addToConfiguration);

    /** config/gridtier.yaml, with the model of {@value #MODEL_PROPERTY} when it is set. */
    static JobConfig config() {
        Path configDir = Path.of(System.getProperty("gridtier.configDir", "../config")).toAbsolutePath().normalize();
        List<String> overrides = new ArrayList<>();
        String candidate = System.getProperty(MODEL_PROPERTY, "");
        if (!candidate.isBlank()) {
            overrides.add("model=" + Path.of(candidate).toAbsolutePath());
        }
        return JobConfig.load(configDir.resolve("gridtier.yaml"), overrides, configDir.getParent());
    }

    @BeforeAll
    static void convertAndReplay(@InjectMiniCluster MiniCluster cluster) throws Exception {
        Path shared = Path.of(System.getProperty("gridtier.sharedData", "../../shared/data")).toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(shared), "the shared data folder " + shared + " is absent");
        Path csv = shared.resolve(CSV);
        assertThat(csv).as("the shared data folder is there, so the Tianchi CSV must be").isRegularFile();
        work = Path.of("target", "realdata", "tianchi-replay").toAbsolutePath();
        Replay.deleteRecursively(work);
        Files.createDirectories(work);
        events = work.resolve("events.jsonl");
        long t0 = System.nanoTime();
        conversion = new TianchiConverter().convert(csv, events);
        convertSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "Converted %s in %.1f s:%n%s", csv, convertSeconds, conversion.report());
        endOfData = conversion.lastDay().plusDays(1).atStartOfDay(TianchiConverter.ZONE).toInstant();

        JobConfig config = config();
        model = ModelConfig.load(config.modelFile());
        SegmentationModel segmentation = new SegmentationModel(model, config.zone());

        t0 = System.nanoTime();
        replay(cluster, config, segmentation);
        replaySeconds = (System.nanoTime() - t0) / 1e9;
        System.out.println("Model " + segmentation.version() + " (" + config.modelFile() + ")");
        System.out.print(summary.report());

        t0 = System.nanoTime();
        year = CsvYear.read(csv);
        scan = Scan.of(work.resolve("segments.jsonl"), config, model);
        scanSeconds = (System.nanoTime() - t0) / 1e9;
        printReport(config);
    }

    /** Runs the replay on the class's MiniCluster (in-memory metrics reporter), and reads the job's reading counters. */
    private static void replay(MiniCluster cluster, JobConfig config, SegmentationModel segmentation) throws Exception {
        summary = ReplayCluster.onCluster(cluster, () -> new Replay(config, segmentation, System.out).run(events, work));
        Collection<JobStatusMessage> jobs = cluster.listJobs().get();
        assertThat(jobs).as("the replay ran one job on this cluster").hasSize(1);
        // by group: identifiers are not unique (operators of the same name), so no map by identifier
        Map<String, Long> counters = new TreeMap<>();
        REPORTER.getMetricsByGroup().forEach((group, metrics) -> metrics.forEach((name, metric) -> {
            String id = group.getMetricIdentifier(name);
            if (id.contains(".gridtier.") && metric instanceof Counter c) {
                counters.merge(id.substring(id.indexOf(".gridtier.") + 1), c.getCount(), Long::sum);
            }
        }));
        readingCounters = new TreeMap<>();
        for (String outcome : List.of("applied", "duplicate", "corrected")) {
            readingCounters.put(outcome, counters.getOrDefault("gridtier.type.READING.outcome." + outcome + ".events", -1L));
        }
        profilesApplied = counters.getOrDefault("gridtier.type.PROFILE.outcome.applied.events", -1L);
        assertThat(readingCounters.values()).as("the job's reading counters were reported; gridtier counters seen: %s",
                counters).allSatisfy(v -> assertThat(v).isNotNegative());
    }

    @AfterAll
    static void dropTheEventsFile() throws IOException {
        if (events != null) {
            Files.deleteIfExists(events);
        }
    }

    // ------------------------------------------------------------------------------------ a.

    @Test
    void everyReadingIsAccountedFor() {
        assertThat(conversion.enterprises()).isEqualTo(1454);
        assertThat(conversion.days()).isEqualTo(639);
        assertThat(conversion.readings()).isEqualTo(929_106L);
        assertThat(conversion.emptyCells()).isZero();

        long counted = readingCounters.values().stream().mapToLong(Long::longValue).sum();
        assertThat(conversion.readings())
                .as("readings written = counted by the job %s + dead letters %s", readingCounters, summary.deadLettersByReason())
                .isEqualTo(counted + summary.deadLetters());
        assertThat(summary.deadLetters()).as("dead letters %s", summary.deadLettersByReason()).isZero();
        assertThat(readingCounters.get("duplicate")).as("the CSV has no duplicate reading").isZero();
        assertThat(readingCounters.get("corrected")).as("no reading is CORRECTED").isZero();
        assertThat(profilesApplied).isEqualTo(conversion.enterprises());

        List<String> withReadings = new ArrayList<>(year.customerIds);
        withReadings.removeAll(conversion.withoutReadings());
        assertThat(summary.finalSegments().keySet()).containsAll(withReadings);
        assertThat(scan.segmentsPerCustomer.keySet()).containsExactlyInAnyOrderElementsOf(summary.finalSegments().keySet());
        assertThat(scan.segmentsPerCustomer.values()).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(1));
        assertThat(scan.segments).as("segments.jsonl lines").isEqualTo(summary.segments());
        assertThat(scan.orderViolations).as("each customer's segments in asOf order").isEmpty();
    }

    // ------------------------------------------------------------------------------------ b.

    @Test
    void keyAccountsAreTheLargestConsumers() {
        ModelConfig.CategoryReference ref = model.reference(CATEGORY);
        double minimum = ref.keyAccountMinAnnualKwh();
        double reference = ref.referenceAnnualKwh();
        Duration dwell = Duration.ofDays(model.tiers().minDwellDays());
        Map<String, CustomerSegment> finals = summary.finalSegments();
        int topRank = (int) Math.ceil(year.customerIds.size() * TOP_SHARE_PERCENT / 100.0);

        List<String> keyBelowMinimum = new ArrayList<>();
        List<String> keyOutsideTop = new ArrayList<>();
        List<String> bigNotKey = new ArrayList<>();
        List<String> largeNotValued = new ArrayList<>();
        List<String> smallValued = new ArrayList<>();
        for (String c : year.customerIds) {
            CustomerSegment s = finals.get(c);
            double a = year.annual(c);
            String what = c + " (" + kwh(a) + " kWh, rank " + year.rank(c) + ", " + s.getValueTier()
                    + " since " + local(s.getTierSince()) + ", score " + s.getValueScore() + ")";
            if (s.getValueTier() == ValueTier.KEY_ACCOUNT) {
                boolean heldByDwell = Duration.between(s.getTierSince(), endOfData).compareTo(dwell) < 0;
                // a key account keeps its tier down to keyAccountFloorExitShare of the minimum (hysteresis)
                if (a < minimum * model.tiers().keyAccountFloorExitShare() && !heldByDwell) {
                    keyBelowMinimum.add(what);
                }
                if (year.rank(c) > topRank) {
                    keyOutsideTop.add(what);
                }
            }
            boolean active = !year.silentAtEnd(c);
            if (active && a >= BIG_MULTIPLE * minimum && s.getValueTier() != ValueTier.KEY_ACCOUNT) {
                bigNotKey.add(what);
            }
            if (active && a >= minimum && !VALUED.contains(s.getValueTier())) {
                largeNotValued.add(what);
            }
            if (a < reference / 2 && VALUED.contains(s.getValueTier())) {
                smallValued.add(what);
            }
        }
        assertThat(keyBelowMinimum).as("key accounts below %s of the key-account minimum of %s kWh",
                model.tiers().keyAccountFloorExitShare(), kwh(minimum)).isEmpty();
        assertThat(keyOutsideTop).as("key accounts outside the top %d%% (rank %d) by consumption", TOP_SHARE_PERCENT, topRank)
                .isEmpty();
        assertThat(bigNotKey).as("enterprises with at least %s x the minimum, not silent at the end, that are not key accounts",
                BIG_MULTIPLE).isEmpty();
        assertThat(largeNotValued).as("enterprises above the minimum, not silent at the end, below HIGH_VALUE").isEmpty();
        assertThat(smallValued).as("HIGH_VALUE or KEY_ACCOUNT below half the category reference (%s kWh)", kwh(reference / 2))
                .isEmpty();
        assertThat(summary.tierDistribution().get(ValueTier.KEY_ACCOUNT.name())).as("some key accounts").isPositive();

        Map<ValueTier, Double> medians = new EnumMap<>(ValueTier.class);
        for (ValueTier t : ValueTier.values()) {
            double[] a = year.customerIds.stream().filter(c -> finals.get(c).getValueTier() == t)
                    .mapToDouble(year::annual).sorted().toArray();
            assertThat(a).as("customers in %s", t).isNotEmpty();
            medians.put(t, a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2);
        }
        assertThat(medians.get(ValueTier.KEY_ACCOUNT)).as("median annual kWh by tier %s", medians)
                .isGreaterThan(medians.get(ValueTier.HIGH_VALUE));
        assertThat(medians.get(ValueTier.HIGH_VALUE)).as("median annual kWh by tier %s", medians)
                .isGreaterThan(medians.get(ValueTier.STANDARD));
        assertThat(medians.get(ValueTier.STANDARD)).as("median annual kWh by tier %s", medians)
                .isGreaterThan(medians.get(ValueTier.LOW_VALUE));

        double rho = spearman(year.customerIds.stream().mapToDouble(year::annual).toArray(),
                year.customerIds.stream().mapToDouble(c -> finals.get(c).getValueScore()).toArray());
        System.out.printf(Locale.ROOT, "Spearman rank correlation of the final value score with A: %.3f%n", rho);
        assertThat(rho).as("rank correlation of value score and annual consumption").isGreaterThanOrEqualTo(MIN_SPEARMAN);
    }

    // ------------------------------------------------------------------------------------ c.

    @Test
    void placeholderMetersAreNeverKeyAccountsNorHighValue() {
        assertThat(conversion.placeholders()).as("the data set's constant placeholder meters (README: about 74)").hasSize(74);
        List<String> valued = new ArrayList<>();
        for (String c : conversion.placeholders()) {
            assertThat(scan.segmentsPerCustomer).containsKey(c);
            ValueTier reached = scan.valuedTier.get(c);
            if (reached != null) {
                valued.add(c + " reached " + reached);
            }
        }
        assertThat(valued).isEmpty();
    }

    // ------------------------------------------------------------------------------------ d.

    @Test
    void tiersHoldForTheMinimumDwellAfterWarmUp() {
        assertThat(scan.tierChanges).as("the data makes some tiers change").isPositive();
        assertThat(scan.dwellViolations).as("tier changes after warm-up sooner than %d days after the previous one (of %d changes checked)",
                model.tiers().minDwellDays(), scan.tierChangesAfterWarmUp).isEmpty();
        assertThat(scan.tierSinceViolations).as("tierSince consistent with the tier changes").isEmpty();
    }

    // ------------------------------------------------------------------------------------ e.

    @Test
    void factorContributionsAddUpToEachScore() {
        assertThat(scan.segments).isPositive();
        assertThat(scan.sumViolations).as("segments whose factors do not add up to a score (within %s)", SUM_TOLERANCE)
                .isEmpty();
    }

    // ------------------------------------------------------------------------------------ helpers

    /**
     * The tiers that count a customer as valued (DOMAIN.md: the key accounts and the high-value customers),
     * named here rather than derived from the job's tier order, so the oracle does not repeat production logic.
     */
    static final Set<ValueTier> VALUED = EnumSet.of(ValueTier.HIGH_VALUE, ValueTier.KEY_ACCOUNT);

    /** An instant as the utility's local time, as in the JSON lines. */
    static String local(Instant t) {
        return t.atZone(TianchiConverter.ZONE).toOffsetDateTime().toString();
    }

    static String kwh(double v) {
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    /** Spearman's rank correlation (average ranks for ties). */
    static double spearman(double[] x, double[] y) {
        double[] rx = ranks(x), ry = ranks(y);
        double mx = Arrays.stream(rx).average().orElse(0), my = Arrays.stream(ry).average().orElse(0);
        double sxy = 0, sxx = 0, syy = 0;
        for (int i = 0; i < rx.length; i++) {
            sxy += (rx[i] - mx) * (ry[i] - my);
            sxx += (rx[i] - mx) * (rx[i] - mx);
            syy += (ry[i] - my) * (ry[i] - my);
        }
        return sxy / Math.sqrt(sxx * syy);
    }

    private static double[] ranks(double[] v) {
        Integer[] order = new Integer[v.length];
        for (int i = 0; i < v.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
        double[] r = new double[v.length];
        for (int i = 0; i < v.length; ) {
            int j = i;
            while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
                j++;
            }
            for (int k = i; k <= j; k++) {
                r[order[k]] = (i + j) / 2.0;
            }
            i = j + 1;
        }
        return r;
    }

    private static void printReport(JobConfig config) throws IOException {
        double minimum = model.reference(CATEGORY).keyAccountMinAnnualKwh();
        StringBuilder b = new StringBuilder("\n==== Tianchi real-data replay ====\n");
        b.append(String.format(Locale.ROOT, "conversion %.1f s, replay %.1f s (job %.1f s), checks' reading %.1f s%n",
                convertSeconds, replaySeconds, summary.seconds(), scanSeconds));
        b.append("readings written ").append(conversion.readings()).append(", counted by the job ").append(readingCounters)
                .append(", dead letters ").append(summary.deadLetters()).append('\n');
        b.append("final value tiers: ").append(summary.tierDistribution()).append('\n');
        b.append("final churn risk: ").append(summary.churnDistribution()).append(", credit: ")
                .append(summary.creditDistribution()).append(", potential key accounts: ")
                .append(summary.potentialKeyAccounts()).append('\n');
        b.append(String.format(Locale.ROOT, "enterprises with A >= %s kWh: %d; KEY_ACCOUNT: %d%n", kwh(minimum),
                year.customerIds.stream().filter(c -> year.annual(c) >= minimum).count(),
                summary.tierDistribution().getOrDefault("KEY_ACCOUNT", 0L)));
        b.append(String.format(Locale.ROOT, "segments per customer: min %d, max %d; tier changes %d (%d after warm-up, "
                        + "%d of them into or out of KEY_ACCOUNT, by %d customers)%n",
                scan.segmentsPerCustomer.values().stream().mapToInt(Integer::intValue).min().orElse(0),
                scan.segmentsPerCustomer.values().stream().mapToInt(Integer::intValue).max().orElse(0),
                scan.tierChanges, scan.tierChangesAfterWarmUp, scan.keyAccountChangesAfterWarmUp,
                scan.customersWithKeyAccountChanges.size()));
        b.append("final tier by annual consumption A (kWh, last 365 days of data):\n");
        double[] bands = {0, 1_000, 10_000, 100_000, 300_000, 1_000_000, minimum, BIG_MULTIPLE * minimum, Double.MAX_VALUE};
        for (int i = 0; i + 1 < bands.length; i++) {
            double lo = bands[i], hi = bands[i + 1];
            Map<ValueTier, Integer> row = new EnumMap<>(ValueTier.class);
            year.customerIds.stream().filter(c -> year.annual(c) >= lo && year.annual(c) < hi)
                    .forEach(c -> row.merge(summary.finalSegments().get(c).getValueTier(), 1, Integer::sum));
            b.append(String.format(Locale.ROOT, "  %12s .. %-12s %s%n", kwh(lo), hi == Double.MAX_VALUE ? "" : kwh(hi), row));
        }
        b.append("enterprises silent (<= 1 kWh a day) over the last ").append(SILENT_DAYS).append(" days: ")
                .append(year.customerIds.stream().filter(year::silentAtEnd).count()).append(", of which placeholders ")
                .append(conversion.placeholders().stream().filter(year::silentAtEnd).count()).append("; their final tiers: ");
        Map<String, String> silentValued = new TreeMap<>();
        year.customerIds.stream().filter(year::silentAtEnd)
                .filter(c -> VALUED.contains(summary.finalSegments().get(c).getValueTier()))
                .forEach(c -> silentValued.put(c, summary.finalSegments().get(c).getValueTier() + "/"
                        + summary.finalSegments().get(c).getChurnRisk() + " " + kwh(year.annual(c)) + " kWh"));
        b.append(silentValued.isEmpty() ? "none HIGH_VALUE or above" : silentValued.toString()).append('\n');
        b.append("churn alerts by month: ").append(churnAlertsByMonth(config)).append('\n');
        System.out.print(b);
    }

    /** CHURN_RISK_RAISED / CHURN_RISK_CLEARED per month of event time (the Spring Festival shows here). */
    private static Map<String, String> churnAlertsByMonth(JobConfig config) throws IOException {
        JsonLineCodec codec = new JsonLineCodec(config.zone());
        Map<String, int[]> months = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(work.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                SegmentAlert a = (SegmentAlert) codec.decode(line, SegmentAlert.getClassSchema());
                String month = a.getEventTime().atZone(config.zone()).toLocalDate().toString().substring(0, 7);
                switch (a.getType()) {
                    case CHURN_RISK_RAISED -> months.computeIfAbsent(month, m -> new int[2])[0]++;
                    case CHURN_RISK_CLEARED -> months.computeIfAbsent(month, m -> new int[2])[1]++;
                    default -> { }
                }
            }
        } catch (io.gridtier.format.BadRecordException e) {
            throw new IllegalStateException("alerts.jsonl has a line that does not decode: " + e.getMessage(), e);
        }
        Map<String, String> out = new LinkedHashMap<>();
        months.forEach((m, n) -> out.put(m, "+" + n[0] + "/-" + n[1]));
        return out;
    }

    /** Each enterprise's consumption over the last 365 days of the CSV, read independently of the converter. */
    static final class CsvYear {
        final List<String> customerIds = new ArrayList<>();
        final Map<String, Double> annual = new HashMap<>();
        final Map<String, Boolean> silentAtEnd = new HashMap<>();
        final Map<String, Integer> rank = new HashMap<>();

        static CsvYear read(Path csv) throws IOException {
            List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
            String[] header = lines.get(0).split(",", -1);
            int n = header.length - 2;  // record_date, 1..n, total
            assertThat(header[header.length - 1]).isEqualTo("total");
            List<String> rows = lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
            int days = rows.size();
            CsvYear y = new CsvYear();
            double[][] kwh = new double[n][days];
            for (int d = 0; d < days; d++) {
                String[] cells = rows.get(d).split(",", -1);
                if (d > 0) {
                    assertThat(LocalDate.parse(cells[0])).isEqualTo(LocalDate.parse(rows.get(d - 1).substring(0, 10)).plusDays(1));
                }
                for (int i = 0; i < n; i++) {
                    kwh[i][d] = cells[i + 1].isBlank() ? 0 : Double.parseDouble(cells[i + 1]);
                }
            }
            for (int i = 0; i < n; i++) {
                String id = TianchiConverter.customerId(Integer.parseInt(header[i + 1]));
                y.customerIds.add(id);
                double sum = 0;
                for (int d = Math.max(0, days - 365); d < days; d++) {
                    sum += kwh[i][d];
                }
                y.annual.put(id, sum);
                boolean silent = true;
                for (int d = Math.max(0, days - SILENT_DAYS); d < days; d++) {
                    silent &= kwh[i][d] <= SILENT_MAX_KWH;
                }
                y.silentAtEnd.put(id, silent);
            }
            List<String> byConsumption = new ArrayList<>(y.customerIds);
            byConsumption.sort(Comparator.comparingDouble((String c) -> -y.annual.get(c)));
            for (int r = 0; r < byConsumption.size(); r++) {
                y.rank.put(byConsumption.get(r), r + 1);
            }
            return y;
        }

        double annual(String c) {
            return annual.get(c);
        }

        boolean silentAtEnd(String c) {
            return silentAtEnd.get(c);
        }

        int rank(String c) {
            return rank.get(c);
        }
    }

    /** One streaming pass over segments.jsonl: per-customer tier history and the checks of d. and e. */
    static final class Scan {
        long segments;
        long tierChanges, tierChangesAfterWarmUp, keyAccountChangesAfterWarmUp;
        final Map<String, Integer> segmentsPerCustomer = new HashMap<>();
        /** The first valued tier (HIGH_VALUE, KEY_ACCOUNT) each customer ever reached; absent if none. */
        final Map<String, ValueTier> valuedTier = new HashMap<>();
        final java.util.Set<String> customersWithKeyAccountChanges = new java.util.TreeSet<>();
        final List<String> dwellViolations = new ArrayList<>();
        final List<String> tierSinceViolations = new ArrayList<>();
        final List<String> sumViolations = new ArrayList<>();
        final List<String> orderViolations = new ArrayList<>();

        private static final class Last {
            Instant firstAsOf, asOf, tierSince;
            ValueTier tier;
        }

        static Scan of(Path segmentsFile, JobConfig config, ModelConfig model) throws Exception {
            JsonLineCodec codec = new JsonLineCodec(config.zone());
            Duration warmUp = Duration.ofDays(model.tiers().warmUpDays());
            Duration dwell = Duration.ofDays(model.tiers().minDwellDays());
            Scan scan = new Scan();
            Map<String, Last> last = new HashMap<>();
            try (BufferedReader in = Files.newBufferedReader(segmentsFile, StandardCharsets.UTF_8)) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    CustomerSegment s = (CustomerSegment) codec.decode(line, CustomerSegment.getClassSchema());
                    scan.segments++;
                    String c = s.getCustomerId();
                    scan.segmentsPerCustomer.merge(c, 1, Integer::sum);
                    if (VALUED.contains(s.getValueTier())) {
                        scan.valuedTier.putIfAbsent(c, s.getValueTier());
                    }
                    scan.checkSums(s);
                    Last l = last.get(c);
                    if (l == null) {
                        l = new Last();
                        l.firstAsOf = s.getAsOf();
                        last.put(c, l);
                    } else {
                        if (s.getAsOf().isBefore(l.asOf)) {
                            add(scan.orderViolations, c + ": asOf " + local(s.getAsOf()) + " after " + local(l.asOf));
                        }
                        if (s.getValueTier() != l.tier) {
                            scan.tierChanges++;
                            if (!s.getTierSince().equals(s.getAsOf())) {
                                add(scan.tierSinceViolations, c + ": changed " + l.tier + " -> " + s.getValueTier()
                                        + " at " + local(s.getAsOf()) + " but tierSince " + local(s.getTierSince()));
                            }
                            if (Duration.between(l.firstAsOf, s.getAsOf()).compareTo(warmUp) > 0) {
                                scan.tierChangesAfterWarmUp++;
                                if (s.getValueTier() == ValueTier.KEY_ACCOUNT || l.tier == ValueTier.KEY_ACCOUNT) {
                                    scan.keyAccountChangesAfterWarmUp++;
                                    scan.customersWithKeyAccountChanges.add(c);
                                }
                                Duration held = Duration.between(l.tierSince, s.getAsOf());
                                if (held.compareTo(dwell) < 0) {
                                    add(scan.dwellViolations, c + ": " + l.tier + " since " + local(l.tierSince) + " -> "
                                            + s.getValueTier() + " at " + local(s.getAsOf()) + " (held " + held.toDays()
                                            + " days; first segment " + local(l.firstAsOf) + ")");
                                }
                            }
                        } else if (!s.getTierSince().equals(l.tierSince)) {
                            add(scan.tierSinceViolations, c + ": tierSince moved from " + local(l.tierSince) + " to "
                                    + local(s.getTierSince()) + " at " + local(s.getAsOf()) + " without a tier change");
                        }
                    }
                    l.asOf = s.getAsOf();
                    l.tier = s.getValueTier();
                    l.tierSince = s.getTierSince();
                }
            }
            return scan;
        }

        private void checkSums(CustomerSegment s) {
            Map<ScoreKind, Double> sums = new EnumMap<>(ScoreKind.class);
            for (Factor f : s.getFactors()) {
                sums.merge(f.getScore(), f.getContribution(), Double::sum);
            }
            check(s, ScoreKind.VALUE, sums, s.getValueScore());
            check(s, ScoreKind.CHURN, sums, s.getChurnScore());
            check(s, ScoreKind.CREDIT, sums, s.getCreditScore());
        }

        private void check(CustomerSegment s, ScoreKind kind, Map<ScoreKind, Double> sums, double score) {
            Double sum = sums.get(kind);
            if (sum == null || Math.abs(sum - score) > SUM_TOLERANCE + 1e-9) {
                add(sumViolations, s.getCustomerId() + " at " + local(s.getAsOf()) + ": " + kind + " factors sum to " + sum
                        + ", score " + score);
            }
        }

        private static void add(List<String> examples, String what) {
            if (examples.size() < EXAMPLES) {
                examples.add(what);
            }
        }
    }
}
