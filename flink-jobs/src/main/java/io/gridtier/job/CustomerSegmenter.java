package io.gridtier.job;

import io.gridtier.config.TariffCalendar;
import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.customer.ReadingRegister;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.ReadingEvent;
import io.gridtier.model.Evaluation;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The keyed operator: one customer's state in RocksDB, evaluated at local-day boundaries in event
 * time. Each event is applied to the state at once; the segmentation is recomputed when the
 * watermark passes the end of the event's day, and then once a day (the daily tick) so that
 * silence, ageing arrears and an approaching contract end move the scores without new events.
 * Because an evaluation only counts what happened by its time, replays in any order within the
 * allowed lateness, and recoveries, give the same segments and alerts.
 *
 * <p>This class holds no business rule: it loads state, applies the event, asks the
 * {@link SegmentationModel}, stores state, sets the next tick and emits.
 *
 * <p>State and its clean-up:
 * <ul>
 *   <li>{@code consumption}: fixed-size day and month rings, overwritten as time passes;</li>
 *   <li>{@code reading-register}: one entry per reading inside the correction window; entries
 *       older than the window are removed on the tick every {@code correctionWindowDays} days;</li>
 *   <li>{@code ledger}: bounded to the latest bills by {@link BillingLedger#prune};</li>
 *   <li>{@code profiles}: superseded versions dropped by {@link ProfileHistory#prune};</li>
 *   <li>all of it, and {@code segment-memory}, cleared when a closed customer's retention ends.</li>
 * </ul>
 */
public final class CustomerSegmenter extends KeyedProcessFunction<String, CustomerEvent, CustomerSegment> {
    private static final long serialVersionUID = 1L;

    private final SegmentationModel model;
    private final TariffCalendar tariffs;
    private final LatenessRule lateness;
    private final String zoneId;
    private final int closedRetentionDays;

    private transient ZoneId zone;
    private transient ValueState<ConsumptionHistory> consumption;
    private transient MapState<Long, Long> register;
    private transient ValueState<BillingLedger> ledger;
    private transient ValueState<ProfileHistory> profiles;
    private transient ValueState<SegmentMemory> memory;
    private transient Counters counters;

    public CustomerSegmenter(SegmentationModel model, TariffCalendar tariffs, LatenessRule lateness, ZoneId zone,
                             int closedRetentionDays) {
        this.model = model;
        this.tariffs = tariffs;
        this.lateness = lateness;
        this.zoneId = zone.getId();
        this.closedRetentionDays = closedRetentionDays;
    }

    @Override
    public void open(OpenContext openContext) {
        zone = ZoneId.of(zoneId);
        consumption = getRuntimeContext().getState(Descriptors.consumption());
        register = getRuntimeContext().getMapState(Descriptors.readingRegister());
        ledger = getRuntimeContext().getState(Descriptors.ledger());
        profiles = getRuntimeContext().getState(Descriptors.profiles());
        memory = getRuntimeContext().getState(Descriptors.memory());
        counters = new Counters(getRuntimeContext().getMetricGroup().addGroup("gridtier"));
    }

    @Override
    public void processElement(CustomerEvent event, Context ctx, Collector<CustomerSegment> out) throws Exception {
        if (event.kind == CustomerEvent.Kind.READING) {
            // the hot path: the consumption rings (which also hold the schedule) and the reading register
            applyReading(event.reading, ctx);
        } else {
            SegmentMemory m = memory.value();
            if (m == null) {
                m = new SegmentMemory();
            }
            switch (event.kind) {
                case PROFILE -> applyProfile(event.profile);
                case BILL -> applyBill(event);
                case PAYMENT -> applyPayment(event);
                default -> throw new IllegalStateException("unexpected event kind " + event.kind);
            }
            m.latestEventAt = Math.max(m.latestEventAt, event.timestamp);
            memory.update(m);
            ConsumptionHistory c = consumption.value();
            if (c == null) {
                c = new ConsumptionHistory();
            }
            if (c.nextTickAt == Long.MIN_VALUE) {
                schedule(c, lateness.localDay(event.timestamp), m, ctx);
                consumption.update(c);
            }
        }
    }

    /** Starts the daily tick at the end of the event's day, never before the last evaluation or the watermark. */
    private void schedule(ConsumptionHistory c, int day, SegmentMemory m, Context ctx) {
        long watermark = ctx.timerService().currentWatermark();
        if (watermark != Long.MIN_VALUE && watermark != Long.MAX_VALUE) {
            day = Math.max(day, lateness.localDay(watermark));
        }
        if (m != null && m.evaluatedAt != SegmentMemory.NEVER) {
            day = Math.max(day, lateness.localDay(m.evaluatedAt - 1) + 1);
        }
        c.nextTickAt = dayEnd(day);
        ctx.timerService().registerEventTimeTimer(c.nextTickAt);
    }

    private void applyProfile(ProfileVersion profile) throws Exception {
        ProfileHistory h = profiles.value();
        if (h == null) {
            h = new ProfileHistory();
        }
        h.add(profile);
        profiles.update(h);
        ProfileVersion latest = h.latest();
        String tariff = tariffs.tariffOf(latest.tariff, latest.category);
        ConsumptionHistory c = consumption.value();
        if (c == null) {
            c = new ConsumptionHistory();
        }
        if (!java.util.Objects.equals(c.tariff, tariff)) {
            c.tariff = tariff;
            consumption.update(c);
        }
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

    private void applyReading(ReadingEvent r, Context ctx) throws Exception {
        int day = lateness.readingDay(r.intervalEnd);
        ConsumptionHistory h = consumption.value();
        if (h == null) {
            h = new ConsumptionHistory();
        }
        if (!h.accepts(day)) {
            // only possible when this customer has readings dated far ahead of the watermark
            counters.tooLate.inc();
            ctx.output(Descriptors.DEAD_LETTERS, DeadLetters.of(reencoded(r, (String) ctx.getCurrentKey()),
                    DeadLetterReason.TOO_LATE, "reading is older than the " + ConsumptionHistory.DAYS
                            + " days kept for this customer (value re-encoded as a JSON line)",
                    ctx.timerService().currentProcessingTime()));
            return;
        }
        long key = ReadingRegister.key(r.readingId);
        Long held = register.get(key);
        float kwh = (float) r.kwh;
        ReadingRegister.Outcome outcome = ReadingRegister.decide(held, r.quality, kwh);
        if (outcome == ReadingRegister.Outcome.DUPLICATE) {
            counters.duplicateReadings.inc();
            return;
        }
        int period = tariffs.period(h.tariff, r.intervalMinutes,
                lateness.days().hourOf(r.intervalEnd - r.intervalMinutes * 60_000L));
        if (outcome == ReadingRegister.Outcome.CORRECTED) {
            int oldDay = ReadingRegister.day(held);
            if (h.accepts(oldDay)) {
                h.addDay(oldDay, -ReadingRegister.kwh(held));
                h.addMonth(month(oldDay), ReadingRegister.period(held), -ReadingRegister.kwh(held));
            }
            counters.correctedReadings.inc();
        } else {
            counters.appliedReadings.inc();
        }
        h.addDay(day, kwh);
        h.addMonth(month(day), period, kwh);
        register.put(key, ReadingRegister.pack(day, period, r.quality, kwh));
        if (h.nextTickAt == Long.MIN_VALUE) {
            schedule(h, day, memory.value(), ctx);
        }
        consumption.update(h);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<CustomerSegment> out) throws Exception {
        ConsumptionHistory c = consumption.value();
        if (c == null || c.nextTickAt != timestamp) {
            return; // a tick of a customer whose state was cleared, or superseded
        }
        c.nextTickAt = Long.MIN_VALUE;
        SegmentMemory m = memory.value();
        if (m == null) {
            m = new SegmentMemory();
        }
        String customerId = ctx.getCurrentKey();
        Evaluation evaluation = model.evaluate(customerId, c, ledger.value(), profiles.value(), m, timestamp);
        int today = lateness.localDay(timestamp - 1);
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
        long watermark = ctx.timerService().currentWatermark();
        housekeeping(today, timestamp, watermark);

        if (m.closedOnDay != Integer.MIN_VALUE && today - m.closedOnDay >= closedRetentionDays) {
            clearAll();
            counters.retired.inc();
            return;
        }
        long next = dayEnd(today + 1);
        boolean endOfInput = watermark == Long.MAX_VALUE;
        // at the end of a bounded input, tick on only up to the day of the customer's latest event
        long latestEventDay = m.latestEventAt == SegmentMemory.NEVER ? Integer.MIN_VALUE : lateness.localDay(m.latestEventAt);
        if (!c.isEmpty()) {
            latestEventDay = Math.max(latestEventDay, c.latestDay);
        }
        if (evaluation != null && (!endOfInput || today + 1 <= latestEventDay)) {
            c.nextTickAt = next;
            ctx.timerService().registerEventTimeTimer(next);
        }
        consumption.update(c);
        memory.update(m);
    }

    private void housekeeping(int today, long timestamp, long watermark) throws Exception {
        if (Math.floorMod(today, lateness.correctionWindowDays()) == 0 && watermark != Long.MIN_VALUE) {
            int oldest = lateness.oldestReadingDay(Math.min(watermark, timestamp));
            Iterator<Map.Entry<Long, Long>> it = register.iterator();
            while (it.hasNext()) {
                if (ReadingRegister.day(it.next().getValue()) < oldest) {
                    it.remove();
                }
            }
        }
        BillingLedger l = ledger.value();
        if (l != null && l.bills.length > BillingLedger.MAX_BILLS) {
            l.prune(timestamp);
            ledger.update(l);
        }
        ProfileHistory p = profiles.value();
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
        register.clear();
        ledger.clear();
        profiles.clear();
        memory.clear();
    }

    /** The first instant of the local day after {@code day}: the event time of day's evaluation. */
    private long dayEnd(int day) {
        return lateness.days().dayEnd(day);
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
        final Counter appliedReadings, duplicateReadings, correctedReadings, segments, unprofiled, retired;
        final Map<CustomerEvent.Kind, Counter> applied = new EnumMap<>(CustomerEvent.Kind.class);
        final Map<CustomerEvent.Kind, Counter> duplicates = new EnumMap<>(CustomerEvent.Kind.class);
        final Map<io.gridtier.schema.AlertType, Counter> alerts = new EnumMap<>(io.gridtier.schema.AlertType.class);
        final Counter tooLate;

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
            retired = g.counter("customers_retired");
            tooLate = g.addGroup("reason", DeadLetterReason.TOO_LATE.name()).counter("dead_letters");
            for (io.gridtier.schema.AlertType t : io.gridtier.schema.AlertType.values()) {
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
}
