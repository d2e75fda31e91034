package io.gridtier.customer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A customer's consumption per local day for the last {@value #DAYS} days (so that the last 90 days
 * can be compared with the same days a year earlier) and per month for the last {@value #MONTHS}
 * months split into time-of-use periods. Fixed-size rings, so the state never grows.
 *
 * <p>Readings do not touch it: they go to the day's {@link DayBucket}, which is folded in here when
 * the day is evaluated, once a day. The rings live in one byte array ({@value #BYTES} bytes), which
 * Flink copies in one go where it would write a float array value by value.
 *
 * <p>Clean-up: the rings overwrite themselves as days pass; the whole object is cleared with the
 * rest of the customer's state when a closed customer's retention ends (see CustomerSegmenter).
 *
 * <p>A Flink POJO (public fields, no-arg constructor): serialised without Kryo.
 */
public class ConsumptionHistory {
    public static final int DAYS = 460;
    public static final int MONTHS = 14;
    /** Time-of-use periods of the month ring; UNSPLIT holds daily readings that cannot be split. */
    public static final int PEAK = 0, FLAT = 1, VALLEY = 2, UNSPLIT = 3, PERIODS = 4;
    private static final int NONE = Integer.MIN_VALUE;

    private static final int PRESENT_WORDS = (DAYS + 63) / 64;
    private static final int DAILY_AT = 0;
    private static final int PRESENT_AT = DAILY_AT + DAYS * 4;
    private static final int MONTHS_AT = PRESENT_AT + PRESENT_WORDS * 8;
    static final int BYTES = MONTHS_AT + MONTHS * PERIODS * 4;
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Epoch day of the newest day held; days in (latestDay - DAYS, latestDay] are valid. */
    public int latestDay = NONE;
    /** Epoch day of the first day a reading was ever seen for this customer. */
    public int firstDay = NONE;
    /** Month index (year * 12 + month - 1) of the newest month held. */
    public int latestMonth = NONE;
    /** Daily kWh ring (float), days-with-a-reading bits (long words), monthly period kWh ring (float). */
    public byte[] rings;

    public ConsumptionHistory() {
    }

    private byte[] rings() {
        if (rings == null) {
            rings = new byte[BYTES];
        }
        return rings;
    }

    public boolean isEmpty() {
        return latestDay == NONE;
    }

    /** Whether a reading for this day can still be applied (it is not older than the ring). */
    public boolean accepts(int day) {
        return latestDay == NONE || day > latestDay - DAYS;
    }

    private float daily(int slot) {
        return (float) FLOAT.get(rings(), DAILY_AT + slot * 4);
    }

    private void daily(int slot, float v) {
        FLOAT.set(rings(), DAILY_AT + slot * 4, v);
    }

    private boolean presentBit(int slot) {
        long word = (long) LONG.get(rings(), PRESENT_AT + (slot >>> 6) * 8);
        return (word & (1L << (slot & 63))) != 0;
    }

    private void presentBit(int slot, boolean on) {
        int at = PRESENT_AT + (slot >>> 6) * 8;
        long word = (long) LONG.get(rings(), at);
        LONG.set(rings(), at, on ? word | (1L << (slot & 63)) : word & ~(1L << (slot & 63)));
    }

    private int monthAt(int month, int period) {
        return MONTHS_AT + (Math.floorMod(month, MONTHS) * PERIODS + period) * 4;
    }

    /** Adds kWh (negative to take back a corrected value) to a day; the caller checked {@link #accepts}. */
    public void addDay(int day, double kwh) {
        advanceTo(day);
        int slot = Math.floorMod(day, DAYS);
        daily(slot, (float) (daily(slot) + kwh));
        presentBit(slot, true);
        if (firstDay == NONE || day < firstDay) {
            firstDay = day;
        }
    }

    /** Adds kWh to a month's time-of-use period; months older than the ring are ignored. */
    public void addMonth(int month, int period, double kwh) {
        if (latestMonth == NONE || month > latestMonth) {
            int from = latestMonth == NONE ? month - MONTHS + 1 : Math.max(latestMonth + 1, month - MONTHS + 1);
            for (int m = from; m <= month; m++) {
                for (int p = 0; p < PERIODS; p++) {
                    FLOAT.set(rings(), monthAt(m, p), 0f);
                }
            }
            latestMonth = month;
        } else if (month <= latestMonth - MONTHS) {
            return;
        }
        int at = monthAt(month, period);
        FLOAT.set(rings(), at, (float) ((float) FLOAT.get(rings(), at) + kwh));
    }

    private void advanceTo(int day) {
        if (latestDay != NONE && day <= latestDay) {
            return;
        }
        int from = latestDay == NONE ? day - DAYS + 1 : Math.max(latestDay + 1, day - DAYS + 1);
        for (int d = from; d <= day; d++) {
            int slot = Math.floorMod(d, DAYS);
            daily(slot, 0f);
            presentBit(slot, false);
        }
        latestDay = day;
    }

    private boolean holds(int day) {
        return latestDay != NONE && day <= latestDay && day > latestDay - DAYS;
    }

    /** kWh of one day, 0 when the day is not held. */
    public double kwhOn(int day) {
        return holds(day) ? daily(Math.floorMod(day, DAYS)) : 0.0;
    }

    public boolean hasReadingOn(int day) {
        return holds(day) && presentBit(Math.floorMod(day, DAYS));
    }

    /** Sum of kWh over days [fromDay, toDay]. */
    public double sum(int fromDay, int toDay) {
        double s = 0;
        for (int d = fromDay; d <= toDay; d++) {
            s += kwhOn(d);
        }
        return s;
    }

    /** The newest day at or before {@code day} with a reading, or {@link Integer#MIN_VALUE}. */
    public int lastReadingDayAtOrBefore(int day) {
        if (latestDay == NONE) {
            return NONE;
        }
        for (int d = Math.min(day, latestDay); d > latestDay - DAYS; d--) {
            if (hasReadingOn(d)) {
                return d;
            }
        }
        return NONE;
    }

    /** kWh of one month's period, 0 when the month is not held. */
    public double monthKwh(int month, int period) {
        if (latestMonth == NONE || month > latestMonth || month <= latestMonth - MONTHS) {
            return 0.0;
        }
        return (float) FLOAT.get(rings(), monthAt(month, period));
    }

    public static boolean isNone(int day) {
        return day == NONE;
    }
}
