package io.gridtier.bench;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.FlinkSettings;
import io.gridtier.job.SegmentationJob;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.kafka.AvroTopicDecoder;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.modelops.ModelUpdatesLog;
import io.gridtier.replay.Replay;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.BillingEvent;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.PaymentChannel;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import io.gridtier.job.DayEnds;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink;
import org.apache.flink.util.Collector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * `gridtier bench`: the segmentation job's throughput against the bare RocksDB ceiling on the same
 * machine, in one process and one run, and the RocksDB state bytes per customer with a year of
 * history. Prints figures; asserts nothing (a benchmark, not a test).
 *
 * <ol>
 *   <li>full job: profiles then hourly readings for N customers, Avro-encoded as on Kafka, through
 *       the whole workflow (decode, validate, watermarks, lateness gate, keyed segmenter with daily
 *       evaluations) on RocksDB, bounded;</li>
 *   <li>bare ceiling: the same source and keying, one small ValueState read-modify-write per event;</li>
 *   <li>state size: a year of daily readings and monthly bills and payments for a smaller population,
 *       then the size of the job's final full RocksDB snapshot (every live key and value, uncompressed)
 *       per customer.</li>
 * </ol>
 */
@Command(name = "bench", description = {"The job's throughput against the bare RocksDB ceiling.",
    "The full job and a bare keyed-state ceiling over the same generated events, then the RocksDB "
        + "state bytes per customer with a year of daily history. Prints figures; asserts nothing."})
public final class BenchCommand implements Callable<Integer> {
    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private static final LocalDate START = LocalDate.of(2025, 1, 1);
    private static final Instant START_INSTANT = START.atStartOfDay(ZONE).toInstant();

    @Mixin
    private WorkloadOptions workload = new WorkloadOptions(1_000_000, 1);

    @Option(names = "--state-customers", paramLabel = "N",
            description = "Customers of the state-size run, a year of history each (default ${DEFAULT-VALUE}).")
    private int stateCustomers = 20_000;

    @Option(names = "--config", paramLabel = "FILE", description = "Job configuration (default config/gridtier.yaml).")
    private Path configFile;

    @Option(names = "--push-model", paramLabel = "FILE.yaml", description = "Also run the full job with this model "
            + "pushed as a new version in force from the workload's first day (the model-updates path), alternating "
            + "with the plain full job, twice, and print the change in throughput.")
    private Path pushModel;

    @Option(names = "--versus", paramLabel = "KEY=VALUE", description = "Also run the full job with these Flink "
            + "options (e.g. state.backend.rocksdb.timer-service.factory=HEAP), alternating with the plain full job, "
            + "twice, and print the change in throughput and in the midnight's wall time.")
    private java.util.Map<String, String> versus;

    @Option(names = "--scale", split = ",", paramLabel = "N,N,...", description = "A scale series instead of the "
            + "single size: the full job and the ceiling at each number of customers (e.g. 1000000,3000000), a table "
            + "of how the figures grow, and a plot (--plot).")
    private List<Integer> scale;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "Where the scale series' plot goes "
            + "(default work/bench-scale.png).")
    private Path plot;

    @Override
    public Integer call() throws Exception {
        workload.validate();
        Path home = Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath();
        JobConfig config = JobConfig.load(configFile == null ? home.resolve("config/gridtier.yaml") : configFile,
                java.util.List.of(), home);
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        long events = workload.events();
        System.out.printf(Locale.ROOT, "GridTier bench on %d cores, parallelism %d, RocksDB managed memory %s%n",
                Runtime.getRuntime().availableProcessors(), config.parallelism(), config.managedMemory());
        System.out.println("workload: " + workload.describe() + " events");

        if (scale != null) {
            scaleSeries(config, model, home);
            printStateBytes(config, model);
            return 0;
        }
        Readings readings = new Readings(workload.customers, workload.perDay, workload.utility);
        Run fullRun = run("full job", config, events, fullJob(config, model, readings, events));
        double full = fullRun.eventsPerSecond();
        printDayEnds(fullRun.dayEnds(), config.zone());
        double bare = measure("bare ceiling", config, events, ceiling(readings, events));
        System.out.printf(Locale.ROOT, "RESULT full job %,.0f events/s; bare ceiling %,.0f events/s; ratio %.2f%n",
                full, bare, full / bare);
        if (pushModel != null) {
            ModelUpdate update = ModelUpdatesLog.updateOf(Files.readString(pushModel), "model file " + pushModel,
                    START_INSTANT, "bench", config.zone());
            if (update.getVersion().equals(model.version())) {
                throw new io.gridtier.model.InvalidConfigException("--push-model: " + pushModel + " has the version of the "
                        + "start-up model (" + model.version() + "); give it a version of its own");
            }
            byte[] line = new JsonLineCodec(config.zone()).encode(update).getBytes(StandardCharsets.UTF_8);
            // pushed and plain runs alternate, twice: consecutive runs of the same job drift by several per cent here
            double ratios = 0;
            double pushedSum = 0, plainSum = 0;
            for (int round = 0; round < 2; round++) {
                double pushed = measure("full job, pushed", config, events, env -> {
                    DataStream<RawRecord> updates = env.fromData(java.util.List.of(
                                    new RawRecord("bench-model-updates", 0, 1, null, line)), TypeInformation.of(RawRecord.class))
                            .setParallelism(1);
                    wireFullJob(SegmentationJob.defineWorkflow(source(env, readings, events), new AvroTopicDecoder(), config,
                            model, 0, false, new SegmentationJob.ModelUpdates(updates, ModelUpdateDecoder.jsonLine(config.zone()), false)));
                });
                double plain = measure("full job", config, events, fullJob(config, model, readings, events));
                ratios += pushed / plain;
                pushedSum += pushed;
                plainSum += plain;
            }
            double pushed = pushedSum / 2, without = plainSum / 2;
            System.out.printf(Locale.ROOT, "RESULT model push: full job %,.0f events/s with %s pushed, %,.0f without (means "
                    + "of two alternating pairs); change %+.1f%% (mean of the pairs' ratios)%n", pushed, update.getVersion(),
                    without, 100 * (ratios / 2 - 1));
        }

        if (versus != null) {
            compareFlinkOptions(config, model, readings, events);
        }

        printStateBytes(config, model);
        return 0;
    }

    /** The full job with --versus's Flink options against the plain one, alternating, twice (the runs drift here). */
    private void compareFlinkOptions(JobConfig config, SegmentationModel model, Readings readings, long events) throws Exception {
        Wiring fullJob = fullJob(config, model, readings, events);
        double rateRatios = 0, midnightRatios = 0;
        for (int round = 0; round < 2; round++) {
            Run with = run("full job, " + versus, config, events, versus, fullJob);
            printDayEnds(with.dayEnds(), config.zone());
            Run plain = run("full job", config, events, java.util.Map.of(), fullJob);
            printDayEnds(plain.dayEnds(), config.zone());
            rateRatios += with.eventsPerSecond() / plain.eventsPerSecond();
            midnightRatios += (double) with.dayEnds().largest().nanos() / plain.dayEnds().largest().nanos();
        }
        System.out.printf(Locale.ROOT, "RESULT %s: full job events/s %+.1f%%, midnight wall time %+.1f%% (means of two "
                + "alternating pairs' ratios)%n", versus, 100 * (rateRatios / 2 - 1), 100 * (midnightRatios / 2 - 1));
    }

    private void printStateBytes(JobConfig config, SegmentationModel model) throws Exception {
        long bytes = stateBytes(config, model, stateCustomers);
        System.out.printf(Locale.ROOT, "RESULT state with a year of daily history: %,d bytes of live RocksDB keys and values "
                + "(final canonical savepoint) for %,d customers = %,.0f bytes per customer%n",
                bytes, stateCustomers, (double) bytes / stateCustomers);
    }

    /** For each size: the full job and the ceiling on the workload's shape, then a table and a plot of the series. */
    private void scaleSeries(JobConfig config, SegmentationModel model, Path home) throws Exception {
        List<ScalePlot.Point> points = new java.util.ArrayList<>();
        for (int customers : scale) {
            if (customers <= 0) {
                throw new io.gridtier.model.InvalidConfigException("--scale: sizes must be above 0, one is " + customers);
            }
            long events = (long) customers * (1 + (long) workload.days * workload.perDay);
            Readings readings = new Readings(customers, workload.perDay, workload.utility);
            System.out.printf(Locale.ROOT, "== %,d customers: %,d events%n", customers, events);
            Run full = run("full job", config, events, fullJob(config, model, readings, events));
            printDayEnds(full.dayEnds(), config.zone());
            double bare = measure("bare ceiling", config, events, ceiling(readings, events));
            DayEnds.DayEnd midnight = full.dayEnds() == null ? null : full.dayEnds().largest();
            points.add(new ScalePlot.Point(customers, full.eventsPerSecond(), bare,
                    midnight == null ? 0 : midnight.nanos() / 1e9, midnight == null ? 0 : midnight.evaluations(),
                    peakRssBytes() / 1e9));
        }
        System.out.println("RESULT scale series (peak RSS: of the bench process so far)");
        System.out.println("RESULT | customers | events | full job events/s | ceiling events/s | ratio | midnight evaluations "
                + "| midnight s | evaluations/s | peak RSS GB |");
        ScalePlot.Point first = points.get(0);
        for (ScalePlot.Point p : points) {
            System.out.printf(Locale.ROOT, "RESULT | %,d | %,d | %,.0f | %,.0f | %.2f | %,d | %.1f | %,.0f | %.1f |%n",
                    p.customers(), (long) p.customers() * (1 + (long) workload.days * workload.perDay), p.fullJob(),
                    p.ceiling(), p.fullJob() / p.ceiling(), p.evaluations(), p.midnightSeconds(),
                    p.evaluations() / p.midnightSeconds(), p.rssGb());
        }
        ScalePlot.Point last = points.get(points.size() - 1);
        System.out.printf(Locale.ROOT, "RESULT growth from %,d to %,d customers (x%.1f): full job events/s x%.2f, ceiling "
                        + "x%.2f, midnight wall time x%.2f%n", first.customers(), last.customers(),
                (double) last.customers() / first.customers(), last.fullJob() / first.fullJob(),
                last.ceiling() / first.ceiling(), last.midnightSeconds() / first.midnightSeconds());
        Path png = plot == null ? home.resolve("work/bench-scale.png") : plot;
        ScalePlot.write(points, String.format(Locale.ROOT, "bin/gridtier bench --scale: %s; %d cores, parallelism %d",
                workload.describe().replaceFirst("^[\\d,]+ customers", "N customers").replaceFirst(" = [\\d,]+$", ""),
                Runtime.getRuntime().availableProcessors(), config.parallelism()), png);
        System.out.println("plot: " + png);
    }

    /** The process's peak resident memory (VmHWM), or 0 where /proc is not there. */
    private static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: no figure
        }
        return 0;
    }

    /**
     * Every day end of the run (all subtasks' evaluations, the longest subtask's wall time), then the largest as
     * the RESULT: the cost of a midnight, apart from the readings ingested during the day.
     */
    static void printDayEnds(DayEnds.Value dayEnds, ZoneId zone) {
        if (dayEnds == null || dayEnds.largest() == null) {
            System.out.println("no day end was evaluated");
            return;
        }
        for (DayEnds.DayEnd d : dayEnds.dayEnds()) {
            System.out.printf(Locale.ROOT, "day end %s: %,d evaluations in %.2f s = %,.0f evaluations/s%n",
                    Instant.ofEpochMilli(d.timestamp()).atZone(zone).toLocalDateTime(), d.evaluations(), d.nanos() / 1e9,
                    d.evaluationsPerSecond());
        }
        DayEnds.DayEnd m = dayEnds.largest();
        System.out.printf(Locale.ROOT, "RESULT midnight: the largest day end evaluated %,d customers in %.2f s = %,.0f "
                + "evaluations/s (wall time of the slowest subtask, timers only)%n", m.evaluations(), m.nanos() / 1e9,
                m.evaluationsPerSecond());
        long evaluations = 0, nanos = 0, count = 0;
        for (DayEnds.DayEnd d : dayEnds.dayEnds()) {
            evaluations += d.evaluations();
            nanos += d.nanos();
            count++;
        }
        if (count > 2) {
            System.out.printf(Locale.ROOT, "RESULT day ends: %d, %,d evaluations in %.1f s together = %,.0f evaluations/s%n",
                    count, evaluations, nanos / 1e9, evaluations * 1e9 / nanos);
        }
    }

    /** The whole workflow over the workload, its outputs discarded. */
    private static Wiring fullJob(JobConfig config, SegmentationModel model, Readings readings, long events) {
        return env -> wireFullJob(SegmentationJob.defineWorkflow(source(env, readings, events), new AvroTopicDecoder(),
                config, model, 0));
    }

    /** The bare ceiling over the same workload and keying: one small ValueState read-modify-write per event. */
    private static Wiring ceiling(Readings readings, long events) {
        return env -> source(env, readings, events)
                .keyBy(r -> new String(r.key, StandardCharsets.UTF_8), Types.STRING)
                .process(new CountPerKey()).name("one ValueState read-modify-write")
                .sinkTo(new DiscardingSink<>());
    }

    private static void wireFullJob(SegmentationJob.Outputs out) {
        out.segments().sinkTo(new DiscardingSink<>()).name("discard segments");
        out.alerts().sinkTo(new DiscardingSink<>()).name("discard alerts");
        out.deadLetters().sinkTo(new DiscardingSink<>()).name("discard dead letters");
    }

    interface Wiring {
        void wire(StreamExecutionEnvironment env) throws Exception;
    }

    /** One timed job: its events a second and its day ends (the segmenter's, none for the ceiling). */
    record Run(double eventsPerSecond, DayEnds.Value dayEnds) {
    }

    private static double measure(String name, JobConfig config, long events, Wiring wiring) throws Exception {
        return run(name, config, events, wiring).eventsPerSecond();
    }

    private static Run run(String name, JobConfig config, long events, Wiring wiring) throws Exception {
        return run(name, config, events, java.util.Map.of(), wiring);
    }

    private static Run run(String name, JobConfig config, long events, java.util.Map<String, String> flinkOptions,
                           Wiring wiring) throws Exception {
        Path work = Files.createTempDirectory("gridtier-bench-");
        try {
            Configuration flink = FlinkSettings.of(config, work, false);
            flinkOptions.forEach(flink::setString);
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
            wiring.wire(env);
            System.out.printf(Locale.ROOT, "running %s ...%n", name);
            JobExecutionResult result = env.execute("gridtier bench: " + name);
            double seconds = result.getNetRuntime() / 1000.0;
            double rate = events / seconds;
            System.out.printf(Locale.ROOT, "%-14s %,d events in %.1f s = %,.0f events/s%n", name, events, seconds, rate);
            return new Run(rate, result.getAccumulatorResult(DayEnds.NAME));
        } finally {
            Replay.deleteRecursively(work);
        }
    }

    private static SingleOutputStreamOperator<RawRecord> source(StreamExecutionEnvironment env, GeneratorFunction<Long, RawRecord> fn,
                                                long count) {
        return env.fromSource(new DataGeneratorSource<>(fn, count, RateLimiterStrategy.noOp(),
                        TypeInformation.of(RawRecord.class)), WatermarkStrategy.noWatermarks(), "generated events")
                .uid("bench-source");
    }

    /**
     * The state-size run: a year of daily readings and monthly bills for each customer, then a canonical savepoint
     * of the running job, measured on disk. The events come from one source subtask in time order (so the final
     * watermark, and with it which day ends have been evaluated, is the same every run), beside a source that never
     * emits and keeps the job running once they are read; the savepoint's barrier follows the last event.
     */
    private static long stateBytes(JobConfig config, SegmentationModel model, int customers) throws Exception {
        Path work = Files.createTempDirectory("gridtier-bench-state-");
        try {
            Configuration c = FlinkSettings.of(config, work, true);
            c.setString("heartbeat.interval", "1 s"); // accumulators reach the client with the heartbeats
            StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(c);
            YearOfHistory year = new YearOfHistory(customers);
            DataStream<RawRecord> events = source(env, year, year.count()).setParallelism(1)
                    .map(new CountRead()).name("count events read").setParallelism(1);
            DataStream<RawRecord> input = events.union(env.fromSource(new DataGeneratorSource<>(i -> new RawRecord(),
                                    Long.MAX_VALUE, parallelism -> new NeverRateLimiter(), TypeInformation.of(RawRecord.class)),
                            WatermarkStrategy.noWatermarks(), "keeps the job running").setParallelism(1)
                    .uid("bench-idle-source"));
            SegmentationJob.Outputs out = SegmentationJob.defineWorkflow(input, new AvroTopicDecoder(), config, model, 1);
            wireFullJob(out);
            System.out.printf(Locale.ROOT, "running state size: %,d customers x a year of daily readings and monthly bills ...%n",
                    customers);
            JobClient job = env.executeAsync("gridtier bench: state size");
            String savepoint;
            try {
                awaitRead(job, year.count());
                savepoint = job.stopWithSavepoint(false, work.resolve("savepoints").toUri().toString(),
                        SavepointFormatType.CANONICAL).get();
            } catch (Exception e) {
                job.cancel(); // the local cluster shuts down with the job
                throw e;
            }
            long bytes = size(Path.of(java.net.URI.create(savepoint)));
            System.out.printf(Locale.ROOT, "final savepoint (canonical): %,d bytes%n", bytes);
            return bytes;
        } finally {
            Replay.deleteRecursively(work);
        }
    }

    /** Waits until the source has read all {@code count} events (the accumulator of {@link CountRead}). */
    private static void awaitRead(JobClient job, long count) throws Exception {
        while (true) {
            Object read = job.getAccumulators().get().get(CountRead.NAME);
            if (read instanceof Long n && n >= count) {
                return;
            }
            if (job.getJobStatus().get().isGloballyTerminalState()) {
                job.getJobExecutionResult().get(); // throws the job's failure
                throw new IllegalStateException("the state-size job ended before reading its events");
            }
            Thread.sleep(500);
        }
    }

    /** Counts the events the state run's source has read, as the accumulator {@value #NAME}. */
    static final class CountRead extends RichMapFunction<RawRecord, RawRecord> {
        private static final long serialVersionUID = 1L;
        static final String NAME = "bench-events-read";
        private final LongCounter read = new LongCounter();

        @Override
        public void open(OpenContext openContext) {
            getRuntimeContext().addAccumulator(NAME, read);
        }

        @Override
        public RawRecord map(RawRecord r) {
            read.add(1);
            return r;
        }
    }

    /** Never grants a record: the source it limits stays open and silent. */
    static final class NeverRateLimiter implements RateLimiter<NumberSequenceSource.NumberSequenceSplit> {
        private final CompletableFuture<Void> never = new CompletableFuture<>();

        @Override
        public CompletionStage<Void> acquire(int requestSize) {
            return never;
        }
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    /**
     * Event i: customer i % N; its first event is its profile, then readings in time order. With billing, every
     * 30 days of readings the reading that opens the 5th day is replaced by the month's bill and the one that
     * opens the 20th day by its payment.
     */
    static final class Readings implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final int customers;
        private final int perDay;
        private final boolean billing;
        private transient AvroBinary<MeterReading> readings;
        private transient AvroBinary<CustomerProfile> profiles;
        private transient AvroBinary<BillingEvent> bills;

        Readings(int customers, int perDay) {
            this(customers, perDay, false);
        }

        Readings(int customers, int perDay, boolean billing) {
            this.customers = customers;
            this.perDay = perDay;
            this.billing = billing;
        }

        @Override
        public RawRecord map(Long index) {
            if (readings == null) {
                readings = new AvroBinary<>(MeterReading.class);
                profiles = new AvroBinary<>(CustomerProfile.class);
            }
            int customer = (int) (index % customers);
            long slot = index / customers;
            String id = customerId(customer);
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            if (slot == 0) {
                return new RawRecord("customer-profiles", 0, index, key, profiles.encode(profile(id, customer)));
            }
            if (billing) {
                long inMonth = (slot - 1) % (30L * perDay);
                if (inMonth == 4L * perDay || inMonth == 19L * perDay) {
                    if (bills == null) {
                        bills = new AvroBinary<>(BillingEvent.class);
                    }
                    int month = (int) ((slot - 1) / (30L * perDay));
                    LocalDate issued = START.plusDays(30L * month + 4);
                    BillingEvent e = inMonth == 4L * perDay ? bill(id, month, issued) : payment(id, month, issued);
                    return new RawRecord("billing-events", 0, index, key, bills.encode(e));
                }
            }
            int minutes = 1440 / perDay;
            Instant end = START_INSTANT.plusMillis(minutes * slot * 60_000L);
            MeterReading r = MeterReading.newBuilder().setReadingId(id + "-" + slot).setCustomerId(id)
                    .setMeterId(id + "-M").setIntervalEnd(end).setIntervalMinutes(minutes)
                    .setKwh(1 + (customer % 97) * 0.37 + (slot % 11)).setQuality(ReadingQuality.ACTUAL).build();
            return new RawRecord("meter-readings", 0, index, key, readings.encode(r));
        }
    }

    /** For the state-size run: per customer a profile, 365 daily readings, 12 bills and 12 payments, in time order. */
    static final class YearOfHistory implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final int customers;
        private transient AvroBinary<MeterReading> readings;
        private transient AvroBinary<CustomerProfile> profiles;
        private transient AvroBinary<BillingEvent> billing;

        YearOfHistory(int customers) {
            this.customers = customers;
        }

        long count() {
            return (long) customers * (1 + 365 + 24);
        }

        @Override
        public RawRecord map(Long index) {
            if (readings == null) {
                readings = new AvroBinary<>(MeterReading.class);
                profiles = new AvroBinary<>(CustomerProfile.class);
                billing = new AvroBinary<>(BillingEvent.class);
            }
            int customer = (int) (index % customers);
            long slot = index / customers; // 0 profile, then 390 slots: every ~15 days a bill or a payment
            String id = customerId(customer);
            byte[] key = id.getBytes(StandardCharsets.UTF_8);
            if (slot == 0) {
                return new RawRecord("customer-profiles", 0, index, key, profiles.encode(profile(id, customer)));
            }
            long s = slot - 1;
            if (s % 16 == 15) { // 24 billing events over the 390 slots
                int month = (int) (s / 32);
                LocalDate issued = START.plusMonths(month).plusDays(4);
                BillingEvent e = (s / 16) % 2 == 0 ? bill(id, month, issued) : payment(id, month, issued);
                return new RawRecord("billing-events", 0, index, key, billing.encode(e));
            }
            long day = s - s / 16; // the readings' own day counter
            Instant end = START_INSTANT.plusMillis((day + 1) * 86_400_000L);
            MeterReading r = MeterReading.newBuilder().setReadingId(id + "-" + day).setCustomerId(id)
                    .setMeterId(id + "-M").setIntervalEnd(end).setIntervalMinutes(1440)
                    .setKwh(10 + (customer % 97) + (day % 7)).setQuality(ReadingQuality.ACTUAL).build();
            return new RawRecord("meter-readings", 0, index, key, readings.encode(r));
        }
    }

    /** Month {@code month}'s bill of customer {@code id}, issued on {@code issued} for the month before. */
    static BillingEvent bill(String id, int month, LocalDate issued) {
        return new BillingEvent(BillIssued.newBuilder().setBillId(id + "-B" + month).setCustomerId(id)
                .setPeriodStart(issued.minusMonths(1)).setPeriodEnd(issued.minusDays(1)).setKwh(300)
                .setAmountDue(new BigDecimal("240.00")).setDueDate(issued.plusDays(20))
                .setIssuedAt(issued.atStartOfDay(ZONE).toInstant()).build());
    }

    /** The payment of {@link #bill}, in full, 15 days after it was issued. */
    static BillingEvent payment(String id, int month, LocalDate issued) {
        return new BillingEvent(PaymentReceived.newBuilder().setPaymentId(id + "-P" + month).setCustomerId(id)
                .setBillId(id + "-B" + month).setAmount(new BigDecimal("240.00"))
                .setPaidAt(issued.plusDays(15).atStartOfDay(ZONE).toInstant()).setChannel(PaymentChannel.BANK).build());
    }

    static String customerId(int customer) {
        String n = Integer.toString(customer);
        return "B" + "00000000".substring(Math.min(8, n.length())) + n;
    }

    static CustomerProfile profile(String id, int customer) {
        CustomerCategory category = customer % 50 == 0 ? CustomerCategory.LARGE_INDUSTRIAL
                : customer % 5 == 0 ? CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL : CustomerCategory.RESIDENTIAL;
        return CustomerProfile.newBuilder().setCustomerId(id).setCategory(category).setIndustry(null).setVoltageKv(10.0)
                .setContractCapacityKva(null).setAccountOpened(LocalDate.of(2015, 1, 1)).setContractEnd(null)
                .setStatus(CustomerStatus.ACTIVE).setUpdatedAt(START.minusDays(1).atStartOfDay(ZONE).toInstant()).build();
    }

    /** The bare ceiling's per-event work: one small ValueState read-modify-write. */
    static final class CountPerKey extends KeyedProcessFunction<String, RawRecord, Long> {
        private static final long serialVersionUID = 1L;
        private transient ValueState<Long> count;

        @Override
        public void open(OpenContext openContext) {
            count = getRuntimeContext().getState(new ValueStateDescriptor<>("count", Types.LONG));
        }

        @Override
        public void processElement(RawRecord r, Context ctx, Collector<Long> out) throws Exception {
            Long c = count.value();
            count.update(c == null ? 1L : c + 1);
        }
    }
}
