package io.gridtier.customer;

/**
 * A customer's consumption per local day for the last {@value #DAYS} days (so that the last 90 days
 * can be compared with the same days a year earlier) and per month for the last {@value #MONTHS} months split into
 * time-of-use periods. Fixed-size rings, so the state never grows: about 2.1 KB per customer.
 *
 * <p>Clean-up: the rings overwrite themselves as days pass; the whole object is cleared with the
 * rest of the customer's state when a closed customer's retention ends (see CustomerSegmenter).
 *
 * <p>A Flink POJO (public fields, no-arg constructor): serialised without Kryo.
 */
public class ConsumptionHistory {
    public static final int DAYS = 460;
    public static final int MONTHS = 14;
    /** Time-of-use periods of {@link #touKwh}; UNSPLIT holds daily readings that cannot be split. */
    public static final int PEAK = 0, FLAT = 1, VALLEY = 2, UNSPLIT = 3, PERIODS = 4;
    private static final int NONE = Integer.MIN_VALUE;

    /** Epoch day of the newest day held; days in (latestDay - DAYS, latestDay] are valid. */
    public int latestDay = NONE;
    /** Epoch day of the first day a reading was ever seen for this customer. */
    public int firstDay = NONE;
    public float[] dailyKwh = new float[DAYS];
    /** One bit per day of the ring: a reading arrived for that day (a zero reading is still a reading). */
    public long[] present = new long[(DAYS + 63) / 64];
    /** Month index (year * 12 + month - 1) of the newest month held. */
    public int latestMonth = NONE;
    public float[] touKwh = new float[MONTHS * PERIODS];

    public ConsumptionHistory() {
    }

    public boolean isEmpty() {
        return latestDay == NONE;
    }

    /** Whether a reading for this day can still be applied (it is not older than the ring). */
    public boolean accepts(int day) {
        return latestDay == NONE || day > latestDay - DAYS;
    }

    /** Adds kWh (negative to take back a corrected value) to a day; the caller checked {@link #accepts}. */
    public void addDay(int day, double kwh) {
        advanceTo(day);
        int slot = Math.floorMod(day, DAYS);
        dailyKwh[slot] = (float) (dailyKwh[slot] + kwh);
        present[slot >>> 6] |= 1L << (slot & 63);
        if (firstDay == NONE || day < firstDay) {
            firstDay = day;
        }
    }

    /** Adds kWh to a month's time-of-use period; months older than the ring are ignored. */
    public void addMonth(int month, int period, double kwh) {
        if (latestMonth == NONE || month > latestMonth) {
            int from = latestMonth == NONE ? month - MONTHS + 1 : Math.max(latestMonth + 1, month - MONTHS + 1);
            for (int m = from; m <= month; m++) {
                int base = Math.floorMod(m, MONTHS) * PERIODS;
                for (int p = 0; p < PERIODS; p++) {
                    touKwh[base + p] = 0f;
                }
            }
            latestMonth = month;
        } else if (month <= latestMonth - MONTHS) {
            return;
        }
        int i = Math.floorMod(month, MONTHS) * PERIODS + period;
        touKwh[i] = (float) (touKwh[i] + kwh);
    }

    private void advanceTo(int day) {
        if (latestDay != NONE && day <= latestDay) {
            return;
        }
        int from = latestDay == NONE ? day - DAYS + 1 : Math.max(latestDay + 1, day - DAYS + 1);
        for (int d = from; d <= day; d++) {
            int slot = Math.floorMod(d, DAYS);
            dailyKwh[slot] = 0f;
            present[slot >>> 6] &= ~(1L << (slot & 63));
        }
        latestDay = day;
    }

    private boolean holds(int day) {
        return latestDay != NONE && day <= latestDay && day > latestDay - DAYS;
    }

    /** kWh of one day, 0 when the day is not held. */
    public double kwhOn(int day) {
        return holds(day) ? dailyKwh[Math.floorMod(day, DAYS)] : 0.0;
    }

    public boolean hasReadingOn(int day) {
        if (!holds(day)) {
            return false;
        }
        int slot = Math.floorMod(day, DAYS);
        return (present[slot >>> 6] & (1L << (slot & 63))) != 0;
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
        return touKwh[Math.floorMod(month, MONTHS) * PERIODS + period];
    }

    public static boolean isNone(int day) {
        return day == NONE;
    }
}
