package io.gridtier.job;

import io.gridtier.config.TariffCalendar;
import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.DayBucket;
import io.gridtier.customer.DayFold;
import io.gridtier.customer.EvaluationSchedule;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.customer.ReadingRegister;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.ReadingEvent;
import io.gridtier.kafka.AvroBinary;
import io.gridtier.model.Evaluation;
import io.gridtier.model.ModelTimeline;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The keyed operator: one customer's state in RocksDB, evaluated at local-day boundaries in event
 * time. Each event is applied to the state at once; the segmentation is recomputed when the
 * watermark passes the end of the event's day, and then once a day (the daily tick) so that
 * silence, ageing arrears and an approaching contract end move the scores without new events.
 * Because an evaluation only counts what happened by its time, replays in any order within the
 * allowed lateness, and recoveries, give the same segments and alerts.
 *
 * <p>This class holds no business rule: it loads state, applies the event, asks the
 * {@link SegmentationModel} in force at the evaluated time, stores state, sets the next tick and emits.
 *
 * <p>Models: the start-up model and the versions pushed at run time (the broadcast input, checked by
 * {@link ModelUpdateCheck}) form a {@link ModelTimeline}; the accepted updates are kept in broadcast
 * state ({@link Descriptors#MODEL_UPDATES}, in every checkpoint and savepoint), and each evaluation uses
 * the version in force at its own event time. The broadcast input never moves event time on (it is idle,
 * {@link ModelUpdateTime}); in a live run it never holds it back, and in a replay it holds it back until it
 * has ended, so a replay of the same events and updates evaluates every day with the same model.
 *
 * <p>A reading touches only its day's {@link DayBucket} (a few hundred bytes); the day is folded
 * into the year of history when it is evaluated. State and its clean-up:
 * <ul>
 *   <li>{@code day-buckets}: the days inside the correction window; a bucket is removed at the tick
 *       once its day is older than the window (later readings for it are dead-lettered TOO_LATE), and
 *       holds at most {@code readings.maxPerCustomerDay} readings (more are TOO_MANY_READINGS);</li>
 *   <li>{@code consumption}: fixed-size day and month rings, overwritten as time passes;</li>
 *   <li>{@code ledger}: bounded to the latest bills by {@link BillingLedger#prune};</li>
 *   <li>{@code profiles}: superseded versions dropped by {@link ProfileHistory#prune};</li>
 *   <li>all of it, and {@code segment-memory}, cleared when a closed customer's retention ends.</li>
 * </ul>
 */
public final class CustomerSegmenter
        extends KeyedBroadcastProcessFunction<String, CustomerEvent, ModelUpdate, CustomerSegment> {
    private static final long serialVersionUID = 1L;

    /** The model of the start-up file, in force until a pushed version takes over. */
    private final SegmentationModel model;
    private final TariffCalendar tariffs;
    private final LatenessRule lateness;
    private final String zoneId;
    private final int closedRetentionDays;
    /** Distinct readings a customer-day may hold (readings.maxPerCustomerDay); more are dead letters. */
    private final int maxReadingsPerDay;
    /** testing.failOnceOnReadingId: the fault drill's poison reading, or null (always, in production). */
    private String failOnceOnReadingId;

    private transient ZoneId zone;
    private transient ValueState<ConsumptionHistory> consumption;
    private transient MapState<Integer, DayBucket> buckets;
    private transient ValueState<BillingLedger> ledger;
    private transient ValueState<ProfileHistory> profiles;
    private transient ValueState<SegmentMemory> memory;
    private transient Counters counters;
    private transient EvaluationSchedule schedule;
    private transient DayEndClock dayEnds;
    /** Rebuilt from the broadcast state on first use after (re)start, then kept in step with it. */
    private transient ModelTimeline timeline;
    private transient Set<String> gaugedVersions;
    /** The version the latest evaluation used (the model_info gauge). */
    private transient volatile String versionInUse;

    public CustomerSegmenter(SegmentationModel model, TariffCalendar tariffs, LatenessRule lateness, ZoneId zone,
                             int closedRetentionDays) {
        this(model, tariffs, lateness, zone, closedRetentionDays, Integer.MAX_VALUE);
    }

    public CustomerSegmenter(SegmentationModel model, TariffCalendar tariffs, LatenessRule lateness, ZoneId zone,
                             int closedRetentionDays, int maxReadingsPerDay) {
        this.model = model;
        this.tariffs = tariffs;
        this.lateness = lateness;
        this.zoneId = zone.getId();
        this.closedRetentionDays = closedRetentionDays;
        this.maxReadingsPerDay = maxReadingsPerDay;
    }

    /**
     * A fault for drills: the reading with this id throws in the job's first attempt (attempt number 0), so
     * that the job fails once, restarts from its last checkpoint and then reads the reading like any other.
     */
    public CustomerSegmenter failingOnceOn(String readingId) {
        this.failOnceOnReadingId = readingId;
        return this;
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
        consumption = getRuntimeContext().getState(Descriptors.consumption());
        buckets = getRuntimeContext().getMapState(Descriptors.dayBuckets());
        ledger = getRuntimeContext().getState(Descriptors.ledger());
        profiles = getRuntimeContext().getState(Descriptors.profiles());
        memory = getRuntimeContext().getState(Descriptors.memory());
        counters = new Counters(getRuntimeContext().getMetricGroup().addGroup("gridtier"));
        DayEnds accumulator = new DayEnds();
        getRuntimeContext().addAccumulator(DayEnds.NAME, accumulator);
        dayEnds = new DayEndClock((timestamp, evaluations, nanos) -> {
            DayEnds.DayEnd dayEnd = new DayEnds.DayEnd(timestamp, evaluations, nanos);
            accumulator.add(dayEnd);
            counters.latestDayEnd = dayEnd;
        });
        schedule = new EvaluationSchedule(lateness::localDay, day -> lateness.days().dayEnd(day));
        gaugedVersions = new HashSet<>();
        versionInUse = model.version();
        gauge(model.version());
    }

    /** gridtier_model_version_model_info{model_version}: 1 for the version the latest evaluation used, else 0. */
    private void gauge(String version) {
        if (gaugedVersions.add(version)) {
            getRuntimeContext().getMetricGroup().addGroup("gridtier").addGroup("model_version", version)
                    .gauge("model_info", () -> version.equals(versionInUse) ? 1 : 0);
        }
    }

    private ModelTimeline timeline(ReadOnlyBroadcastState<Long, ModelUpdate> state) throws Exception {
        if (timeline == null) {
            ModelTimeline t = new ModelTimeline(model, zone);
            for (Map.Entry<Long, ModelUpdate> e : state.immutableEntries()) {
                t.restore(e.getValue(), e.getKey());
                gauge(e.getValue().getVersion());
            }
            timeline = t;
        }
        return timeline;
    }

    @Override
    public void processBroadcastElement(ModelUpdate update, Context ctx, Collector<CustomerSegment> out) throws Exception {
        dayEnds.over();
        ModelTimeline t = timeline(ctx.getBroadcastState(Descriptors.MODEL_UPDATES));
        ModelTimeline.Offer offer = t.offer(update);
        // every subtask sees the same updates in the same order; one of them speaks for all
        boolean speaks = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        switch (offer.outcome()) {
            case ACCEPTED -> {
                ctx.getBroadcastState(Descriptors.MODEL_UPDATES).put(t.lastSequence(), update);
                gauge(update.getVersion());
                if (speaks) {
                    counters.modelAccepted.inc();
                }
            }
            case ALREADY_KNOWN -> {
                if (speaks) {
                    counters.modelAlreadyKnown.inc();
                }
            }
            case REFUSED -> {
                if (speaks) {
                    counters.modelRefused.inc();
                    byte[] bytes = new AvroBinary<>(ModelUpdate.class).encode(update);
                    RawRecord raw = new RawRecord("model-updates", -1, -1,
                            update.getVersion().getBytes(StandardCharsets.UTF_8), bytes);
                    ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(raw, DeadLetterReason.INVALID_MODEL,
                            offer.detail() + "; the model in force stays (value re-encoded as Avro binary)",
                            ctx.currentProcessingTime()));
                }
            }
        }
    }

    @Override
    public void processElement(CustomerEvent event, ReadOnlyContext ctx, Collector<CustomerSegment> out) throws Exception {
        dayEnds.over();
        if (event.kind == CustomerEvent.Kind.READING) {
            applyReading(event.reading, ctx);
            return;
        }
        SegmentMemory m = memory.value();
        if (m == null) {
            m = new SegmentMemory();
        }
        switch (event.kind) {
            case PROFILE -> applyProfile(event.profile, m);
            case BILL -> applyBill(event);
            case PAYMENT -> applyPayment(event);
            default -> throw new IllegalStateException("unexpected event kind " + event.kind);
        }
        m.latestEventAt = Math.max(m.latestEventAt, event.timestamp);
        memory.update(m);
        ctx.timerService().registerEventTimeTimer(schedule.evaluationOf(lateness.localDay(event.timestamp)));
    }

    /** The hot path: one read and one write of the day's bucket (and, on a new day, one of the memory). */
    private void applyReading(ReadingEvent r, ReadOnlyContext ctx) throws Exception {
        if (failOnceOnReadingId != null && failOnceOnReadingId.equals(r.readingId)
                && getRuntimeContext().getTaskInfo().getAttemptNumber() == 0) {
            throw new InjectedFault("testing.failOnceOnReadingId: reading " + r.readingId
                    + " fails the job's first attempt (a fault drill)");
        }
        int day = lateness.readingDay(r.intervalEnd);
        DayBucket bucket = buckets.get(day);
        boolean created = bucket == null;
        if (created) {
            bucket = new DayBucket();
            SegmentMemory m = memory.value();
            bucket.tariff = m == null ? null : m.tariff;
        }
        int period = tariffs.period(bucket.tariff, r.intervalMinutes,
                lateness.days().hourOf(r.intervalEnd - r.intervalMinutes * 60_000L));
        float kwh = (float) r.kwh;
        DayBucket.Applied applied = bucket.apply(ReadingRegister.key(r.readingId), r.quality, period, kwh, maxReadingsPerDay);
        if (applied.outcome() == ReadingRegister.Outcome.DAY_FULL) {
            counters.tooManyReadings.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(reencoded(r, ctx.getCurrentKey()),
                    DeadLetterReason.TOO_MANY_READINGS, "the customer's day " + java.time.LocalDate.ofEpochDay(day)
                            + " already holds " + maxReadingsPerDay + " distinct readings (readings.maxPerCustomerDay; "
                            + "value re-encoded as a JSON line)", ctx.timerService().currentProcessingTime()));
            return;
        }
        if (applied.outcome() == ReadingRegister.Outcome.DUPLICATE) {
            counters.duplicateReadings.inc();
            return;
        }
        if (bucket.folded && !applyToHistory(day, applied, kwh, r, ctx)) {
            return;
        }
        buckets.put(day, bucket);
        (applied.outcome() == ReadingRegister.Outcome.CORRECTED ? counters.correctedReadings : counters.appliedReadings).inc();
        if (created) {
            // evaluate this day when the watermark passes its end (a no-op if the daily tick is due then anyway)
            ctx.timerService().registerEventTimeTimer(schedule.evaluationOf(day));
        }
    }

    /** A reading for a day already evaluated: the history takes the change at once. */
    private boolean applyToHistory(int day, DayBucket.Applied applied, float kwh, ReadingEvent r, ReadOnlyContext ctx)
            throws Exception {
        ConsumptionHistory h = consumption.value();
        if (h == null) {
            h = new ConsumptionHistory();
        }
        if (!h.accepts(day)) {
            // only possible when this customer has readings dated far ahead of the watermark
            counters.tooLate.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(reencoded(r, ctx.getCurrentKey()),
                    DeadLetterReason.TOO_LATE, "reading is older than the " + ConsumptionHistory.DAYS
                            + " days kept for this customer (value re-encoded as a JSON line)",
                    ctx.timerService().currentProcessingTime()));
            return false;
        }
        h.addDay(day, applied.delta());
        if (applied.outcome() == ReadingRegister.Outcome.CORRECTED) {
            h.addMonth(month(day), applied.oldPeriod(), -applied.oldKwh());
        }
        h.addMonth(month(day), applied.period(), kwh);
        consumption.update(h);
        return true;
    }

    private void applyProfile(ProfileVersion profile, SegmentMemory m) throws Exception {
        ProfileHistory h = profiles.value();
        if (h == null) {
            h = new ProfileHistory();
        }
        h.add(profile);
        profiles.update(h);
        ProfileVersion latest = h.latest();
        m.tariff = tariffs.tariffOf(latest.tariff, latest.category);
        counters.applied(CustomerEvent.Kind.PROFILE);
    }

    private void applyBill(CustomerEvent event) throws Exception {
        BillingLedger l = ledger.value();
        if (l == null) {
            l = new BillingLedger();
        }
        if (l.addBill(event.bill)) {
            ledger.update(l);
            counters.applied(event.kind);
        } else {
            counters.duplicate(event.kind);
        }
    }

    private void applyPayment(CustomerEvent event) throws Exception {
        BillingLedger l = ledger.value();
        if (l == null) {
            l = new BillingLedger();
        }
        boolean changed = event.payment.received ? l.addPayment(event.payment)
                : l.returnPayment(event.payment.paymentId, event.payment.returnedAt);
        if (changed) {
            ledger.update(l);
            counters.applied(event.kind);
        } else {
            counters.duplicate(event.kind);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerSegment> out) throws Exception {
        dayEnds.timerStarted(timestamp, System.nanoTime());
        boolean evaluated = evaluate(timestamp, ctx, out);
        dayEnds.timerEnded(evaluated, System.nanoTime());
    }

    @Override
    public void close() throws Exception {
        if (dayEnds != null) {
            dayEnds.over();
        }
        super.close();
    }

    /** The timer's work: a skipped tick, or the customer's evaluation (true). */
    private boolean evaluate(long timestamp, OnTimerContext ctx, Collector<CustomerSegment> out) throws Exception {
        SegmentMemory m = memory.value();
        if (m == null) {
            m = new SegmentMemory();
        }
        EvaluationSchedule.Decision decision = schedule.onTimer(timestamp, m);
        if (decision.action() == EvaluationSchedule.Action.SKIP) {
            return false;
        }
        if (decision.action() == EvaluationSchedule.Action.RESUME_TICKS) {
            m.nextTickAt = decision.resumeAt();
            ctx.timerService().registerEventTimeTimer(m.nextTickAt);
            memory.update(m);
            return false;
        }
        m.nextTickAt = SegmentMemory.NEVER;
        int today = schedule.evaluatedDay(timestamp);
        long watermark = ctx.timerService().currentWatermark();

        ConsumptionHistory c = consumption.value();
        if (c == null) {
            c = new ConsumptionHistory();
        }
        int latestReadingDay = fold(c, today, watermark, timestamp);

        String customerId = ctx.getCurrentKey();
        String[] before = memberships(m);
        // read once: the model only reads them, and the prune below works on the same objects
        BillingLedger l = ledger.value();
        ProfileHistory p = profiles.value();
        SegmentationModel inForce = timeline(ctx.getBroadcastState(Descriptors.MODEL_UPDATES)).at(timestamp);
        versionInUse = inForce.version();
        Evaluation evaluation = inForce.evaluate(customerId, c, l, p, m, timestamp);
        counters.evaluations.inc();
        String[] after = memberships(m);
        for (int i = 0; i < before.length; i++) {
            if (!java.util.Objects.equals(before[i], after[i])) {
                ctx.output(Descriptors.POPULATION, new PopulationDelta(before[i], after[i]));
            }
        }
        if (evaluation == null) {
            counters.unprofiled.inc();
        } else {
            if (evaluation.emit()) {
                out.collect(evaluation.segment());
                counters.segments.inc();
            }
            for (SegmentAlert alert : evaluation.alerts()) {
                ctx.output(Descriptors.ALERTS, alert);
                counters.alert(alert);
            }
        }
        pruneLedgerAndProfiles(l, p, timestamp);

        if (EvaluationSchedule.retire(m, today, closedRetentionDays)) {
            for (String population : after) {
                if (population != null) {
                    ctx.output(Descriptors.POPULATION, new PopulationDelta(population, null));
                }
            }
            clearAll();
            counters.retired.inc();
            return true;
        }
        long next = schedule.nextTick(today, evaluation != null, watermark, latestReadingDay, m.latestEventAt);
        if (next != SegmentMemory.NEVER) {
            m.nextTickAt = next;
            ctx.timerService().registerEventTimeTimer(next);
        }
        memory.update(m);
        return true;
    }

    /** Folds the day buckets up to {@code today} into the history ({@link DayFold}) and stores what changed. */
    private int fold(ConsumptionHistory c, int today, long watermark, long timestamp) throws Exception {
        int oldestKept = watermark == Long.MIN_VALUE ? Integer.MIN_VALUE
                : lateness.oldestReadingDay(Math.min(watermark, timestamp));
        DayFold.Result folded = DayFold.fold(c, buckets.entries(), today, oldestKept, this::month);
        for (Map.Entry<Integer, DayBucket> e : folded.rewritten()) {
            buckets.put(e.getKey(), e.getValue());
        }
        for (Integer day : folded.expired()) {
            buckets.remove(day);
        }
        if (folded.historyChanged()) {
            consumption.update(c);
        }
        return folded.latestDay();
    }

    /** Prunes the ledger and profiles the evaluation read (not read again: two RocksDB reads per evaluation). */
    private void pruneLedgerAndProfiles(BillingLedger l, ProfileHistory p, long timestamp) throws Exception {
        if (l != null && l.bills.length > BillingLedger.MAX_BILLS) {
            l.prune(timestamp);
            ledger.update(l);
        }
        if (p != null && p.versions.length > 1) {
            int before = p.versions.length;
            p.prune(timestamp);
            if (p.versions.length != before) {
                profiles.update(p);
            }
        }
    }

    private void clearAll() {
        consumption.clear();
        buckets.clear();
        ledger.clear();
        profiles.clear();
        memory.clear();
    }

    /** The populations a customer belongs to (see {@link TierPopulation}), null where none. */
    private static String[] memberships(SegmentMemory m) {
        return new String[] {
                m.valueTier == null ? null : m.valueTier.name(),
                m.churnRisk == null ? null : "CHURN_" + m.churnRisk.name(),
                m.creditRating == null ? null : "CREDIT_" + m.creditRating.name(),
                m.potentialKeyAccount ? "POTENTIAL_KEY_ACCOUNT" : null};
    }

    private int month(int day) {
        return lateness.days().monthOfDay(day);
    }

    private RawRecord reencoded(ReadingEvent r, String customerId) {
        MeterReading reading = new MeterReading(r.readingId, customerId, r.meterId, Instant.ofEpochMilli(r.intervalEnd),
                r.intervalMinutes, r.kwh, r.quality);
        byte[] line = new JsonLineCodec(zone).encode(reading).getBytes(StandardCharsets.UTF_8);
        return new RawRecord("customer-state", -1, -1, customerId.getBytes(StandardCharsets.UTF_8), line);
    }

    /** The operator's metrics, under the group "gridtier" (no customer id in any name or label). */
    private static final class Counters {
        final Counter appliedReadings, duplicateReadings, correctedReadings, segments, unprofiled, retired, tooLate,
                tooManyReadings, modelAccepted, modelAlreadyKnown, modelRefused, evaluations;
        /** The latest finished day end of this subtask (gauges), or null. */
        volatile DayEnds.DayEnd latestDayEnd;
        final Map<CustomerEvent.Kind, Counter> applied = new EnumMap<>(CustomerEvent.Kind.class);
        final Map<CustomerEvent.Kind, Counter> duplicates = new EnumMap<>(CustomerEvent.Kind.class);
        final Map<AlertType, Counter> alerts = new EnumMap<>(AlertType.class);

        Counters(MetricGroup g) {
            for (CustomerEvent.Kind k : CustomerEvent.Kind.values()) {
                MetricGroup typed = g.addGroup("type", k.name());
                applied.put(k, typed.addGroup("outcome", "applied").counter("events"));
                duplicates.put(k, typed.addGroup("outcome", "duplicate").counter("events"));
            }
            appliedReadings = applied.get(CustomerEvent.Kind.READING);
            duplicateReadings = duplicates.get(CustomerEvent.Kind.READING);
            correctedReadings = g.addGroup("type", "READING").addGroup("outcome", "corrected").counter("events");
            segments = g.counter("segments_emitted");
            unprofiled = g.counter("evaluations_without_profile");
            evaluations = g.counter("evaluations");
            g.gauge("day_end_seconds", () -> latestDayEnd == null ? 0.0 : latestDayEnd.nanos() / 1e9);
            g.gauge("day_end_evaluations", () -> latestDayEnd == null ? 0L : latestDayEnd.evaluations());
            retired = g.counter("customers_retired");
            tooLate = g.addGroup("reason", DeadLetterReason.TOO_LATE.name()).counter("dead_letters");
            tooManyReadings = g.addGroup("reason", DeadLetterReason.TOO_MANY_READINGS.name()).counter("dead_letters");
            modelAccepted = ModelUpdateMetrics.outcome(g, "accepted");
            modelAlreadyKnown = ModelUpdateMetrics.outcome(g, "already_known");
            modelRefused = ModelUpdateMetrics.outcome(g, "refused");
            for (AlertType t : AlertType.values()) {
                alerts.put(t, g.addGroup("alert_type", t.name()).counter("alerts_emitted"));
            }
        }

        void applied(CustomerEvent.Kind k) {
            applied.get(k).inc();
        }

        void duplicate(CustomerEvent.Kind k) {
            duplicates.get(k).inc();
        }

        void alert(SegmentAlert a) {
            alerts.get(a.getType()).inc();
        }
    }

    /** What {@link #failingOnceOn} throws: only ever configured by a fault drill. */
    public static final class InjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        InjectedFault(String message) {
            super(message);
        }
    }
}
