package io.gridtier.generator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.ReadingQuality;

import java.time.Instant;
import java.util.SplittableRandom;

/**
 * The meter-data management system's upload: turns a customer-day of consumption into readings and adds what
 * real head-end systems add — re-sent readings, estimates corrected days later, upload batches that arrive
 * hours late, communication outages, and the odd broken line.
 */
final class MeterHeadEnd {
    /** Meters uploaded together (a data concentrator's worth); a late batch delays all of them. */
    static final int METERS_PER_UPLOAD_BATCH = 64;
    static final double LATE_BATCH_CHANCE = 0.03;
    static final long MIN_BATCH_DELAY_MILLIS = 30 * 60_000L;
    /** Late lines stay within 6 hours of event time, the out-of-orderness the job tolerates. */
    static final long MAX_DELAY_MILLIS = 6 * 3_600_000L - 60_000L;
    static final double RESEND_CHANCE = 0.005;
    static final long MIN_RESEND_DELAY_MILLIS = 5 * 60_000L;
    static final double ESTIMATE_CHANCE = 0.003;
    static final long DAY_MILLIS = 86_400_000L;
    static final double BAD_LINE_CHANCE = 0.0005;
    static final double OUTAGE_CHANCE = 0.0003;

    private final JsonLineCodec codec;
    private final ArrivalQueue queue;
    private final SplittableRandom rng;
    private long[] batchDelay = new long[0];
    private long outageMeterDays;
    private long delayedBatches;

    MeterHeadEnd(JsonLineCodec codec, ArrivalQueue queue, SplittableRandom rng) {
        this.codec = codec;
        this.queue = queue;
        this.rng = rng;
    }

    /** Decides which upload batches are late today. */
    void startDay(int customers) {
        int batches = (customers + METERS_PER_UPLOAD_BATCH - 1) / METERS_PER_UPLOAD_BATCH;
        if (batchDelay.length != batches) {
            batchDelay = new long[batches];
        }
        for (int b = 0; b < batches; b++) {
            if (RandomDraws.chance(rng, LATE_BATCH_CHANCE)) {
                batchDelay[b] = RandomDraws.uniformLong(rng, MIN_BATCH_DELAY_MILLIS, MAX_DELAY_MILLIS);
                delayedBatches++;
            } else {
                batchDelay[b] = 0;
            }
        }
    }

    /**
     * Uploads the readings of one customer-day: one daily reading ending at the next local midnight, or the
     * day's intervals shaped by the customer's usage pattern.
     *
     * @param dayStart     epoch millis of the local day's start
     * @param nextDayStart epoch millis of the next local day's start
     */
    void upload(SyntheticCustomer c, long dayStart, long nextDayStart, double kwh) {
        if (c.outageDaysLeft > 0) {
            c.outageDaysLeft--;
            outageMeterDays++;
            return;
        }
        if (RandomDraws.chance(rng, OUTAGE_CHANCE)) {
            c.outageDaysLeft = RandomDraws.uniformInt(rng, 1, 3) - 1;
            outageMeterDays++;
            return;
        }
        long delay = batchDelay[c.ordinal / METERS_PER_UPLOAD_BATCH];
        if (c.intervalMinutes >= GeneratorOptions.DAILY) {
            send(c, nextDayStart, GeneratorOptions.DAILY, round(kwh, 100.0), delay);
            return;
        }
        long step = c.intervalMinutes * 60_000L;
        int intervals = (int) ((nextDayStart - dayStart) / step);
        double[] shares = new double[intervals];
        double total = 0;
        for (int i = 0; i < intervals; i++) {
            int hour = (int) ((i * step / 3_600_000L) % 24);
            shares[i] = c.pattern.hourShares[hour] * RandomDraws.meanOneNoise(c.rng, 0.05);
            total += shares[i];
        }
        for (int i = 0; i < intervals; i++) {
            send(c, dayStart + (i + 1) * step, c.intervalMinutes, round(kwh * shares[i] / total, 1000.0), delay);
        }
    }

    private void send(SyntheticCustomer c, long intervalEnd, int minutes, double kwh, long delay) {
        long arrival = intervalEnd + delay;
        String readingId = c.meterId + "-" + intervalEnd;
        Instant end = Instant.ofEpochMilli(intervalEnd);
        boolean estimated = kwh >= 0.05 && RandomDraws.chance(rng, ESTIMATE_CHANCE);
        MeterReading reading;
        if (estimated) {
            // the head-end fills a missed read with an estimate; the real value follows 1-5 days later
            double estimate = round(kwh * RandomDraws.uniform(rng, 0.6, 1.4), 100.0);
            if (Math.abs(estimate - kwh) < 0.01) {
                estimate = round(kwh * 1.2 + 0.01, 100.0);
            }
            reading = reading(readingId, c, end, minutes, estimate, ReadingQuality.ESTIMATED);
            MeterReading corrected = reading(readingId, c, end, minutes, kwh, ReadingQuality.CORRECTED);
            long correctedArrival = intervalEnd + RandomDraws.uniformLong(rng, DAY_MILLIS, 5 * DAY_MILLIS);
            queue.add(LineKind.READING_CORRECTED, intervalEnd, correctedArrival, codec.encode(corrected));
        } else {
            reading = reading(readingId, c, end, minutes, kwh, ReadingQuality.ACTUAL);
        }
        String line = codec.encode(reading);
        queue.add(estimated ? LineKind.READING_ESTIMATED : LineKind.READING, intervalEnd, arrival, line);
        if (!estimated && RandomDraws.chance(rng, RESEND_CHANCE) && delay + MIN_RESEND_DELAY_MILLIS < MAX_DELAY_MILLIS) {
            long resent = intervalEnd + RandomDraws.uniformLong(rng, delay + MIN_RESEND_DELAY_MILLIS, MAX_DELAY_MILLIS);
            queue.add(LineKind.READING_RESENT, intervalEnd, resent, line);
        }
        if (RandomDraws.chance(rng, BAD_LINE_CHANCE)) {
            addBadLine(reading, line, intervalEnd, arrival);
        }
    }

    /** Built field by field, so that fields added to the schema later (with defaults) get their defaults. */
    private static MeterReading reading(String readingId, SyntheticCustomer c, Instant intervalEnd,
                                        int minutes, double kwh, ReadingQuality quality) {
        return MeterReading.newBuilder()
                .setReadingId(readingId)
                .setCustomerId(c.customerId)
                .setMeterId(c.meterId)
                .setIntervalEnd(intervalEnd)
                .setIntervalMinutes(minutes)
                .setKwh(kwh)
                .setQuality(quality)
                .build();
    }

    /** A broken copy of a reading, right behind it: the dead-letter path must catch it, not the model. */
    private void addBadLine(MeterReading reading, String line, long eventTime, long arrival) {
        double kind = rng.nextDouble();
        if (kind < 0.4) {
            int cut = RandomDraws.uniformInt(rng, line.length() / 4, 3 * line.length() / 4);
            queue.add(LineKind.BAD_UNPARSEABLE, eventTime, arrival, line.substring(0, cut));
        } else if (kind < 0.7) {
            MeterReading negative = MeterReading.newBuilder(reading)
                    .setKwh(-Math.max(0.01, reading.getKwh()))
                    .build();
            queue.add(LineKind.BAD_NEGATIVE_KWH, eventTime, arrival, codec.encode(negative));
        } else {
            ObjectNode tree = codec.toTree(reading);
            tree.remove("customerId");
            queue.add(LineKind.BAD_MISSING_CUSTOMER_ID, eventTime, arrival, tree.toString());
        }
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }

    long outageMeterDays() {
        return outageMeterDays;
    }

    long delayedBatches() {
        return delayedBatches;
    }
}
