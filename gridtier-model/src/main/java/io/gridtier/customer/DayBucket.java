package io.gridtier.customer;

import io.gridtier.schema.ReadingQuality;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * One local day of a customer's readings while the day can still change: its kWh per time-of-use
 * period and, for every reading, its id hash, kWh, quality and period — so a re-sent reading counts
 * once and a CORRECTED one replaces the value it corrects. This is the only state a reading
 * touches: a few hundred bytes, where the year of history (ConsumptionHistory, 2 KB) is read and
 * written once a day, when the day is evaluated and folded into it.
 *
 * <p>Clean-up: a day's bucket is removed once the day is older than the correction window.
 * Flink POJO; the entries are one byte array so that it is copied in one go.
 */
public class DayBucket {
    /** Bytes per reading: id hash (8), kWh (4), quality and period (1). */
    static final int ENTRY = 13;
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.LITTLE_ENDIAN);

    public float peak;
    public float flat;
    public float valley;
    public float unsplit;
    /** Whether the day has been folded into the history (it was evaluated); later changes go there too. */
    public boolean folded;
    /** The tariff this day's readings are split by. */
    public String tariff;
    public byte[] entries = new byte[0];

    public DayBucket() {
    }

    public double total() {
        return (double) peak + flat + valley + unsplit;
    }

    public int readings() {
        return entries.length / ENTRY;
    }

    public float periodKwh(int period) {
        return switch (period) {
            case ConsumptionHistory.PEAK -> peak;
            case ConsumptionHistory.FLAT -> flat;
            case ConsumptionHistory.VALLEY -> valley;
            default -> unsplit;
        };
    }

    private void addToPeriod(int period, float kwh) {
        switch (period) {
            case ConsumptionHistory.PEAK -> peak += kwh;
            case ConsumptionHistory.FLAT -> flat += kwh;
            case ConsumptionHistory.VALLEY -> valley += kwh;
            default -> unsplit += kwh;
        }
    }

    /** What applying a reading did; {@code delta} is what the day's total changed by. */
    public record Applied(ReadingRegister.Outcome outcome, int period, float delta, int oldPeriod, float oldKwh) {
    }

    /** Applies a reading (see {@link ReadingRegister#decide} for duplicates and corrections), however many the day holds. */
    public Applied apply(long idHash, ReadingQuality quality, int period, float kwh) {
        return apply(idHash, quality, period, kwh, Integer.MAX_VALUE);
    }

    /**
     * Applies a reading, unless it is a new one and the day already holds {@code maxReadings}: then
     * the outcome is {@link ReadingRegister.Outcome#DAY_FULL} and nothing changes. Repeats and
     * corrections of the readings held are still applied, so a full day can be corrected. This bounds
     * a day's bucket, and so the work of every reading for it (one scan, one read and one write).
     */
    public Applied apply(long idHash, ReadingQuality quality, int period, float kwh, int maxReadings) {
        int n = readings();
        for (int i = 0; i < n; i++) {
            int at = i * ENTRY;
            if ((long) LONG.get(entries, at) == idHash) {
                float held = (float) FLOAT.get(entries, at + 8);
                int meta = entries[at + 12];
                ReadingQuality heldQuality = ReadingQuality.values()[meta >>> 2];
                ReadingRegister.Outcome o = ReadingRegister.decide(
                        ReadingRegister.pack(0, meta & 3, heldQuality, held), quality, kwh);
                if (o == ReadingRegister.Outcome.DUPLICATE) {
                    return new Applied(o, period, 0f, meta & 3, held);
                }
                addToPeriod(meta & 3, -held);
                addToPeriod(period, kwh);
                FLOAT.set(entries, at + 8, kwh);
                entries[at + 12] = (byte) ((quality.ordinal() << 2) | period);
                return new Applied(o, period, kwh - held, meta & 3, held);
            }
        }
        if (n >= maxReadings) {
            return new Applied(ReadingRegister.Outcome.DAY_FULL, period, 0f, period, 0f);
        }
        entries = Arrays.copyOf(entries, entries.length + ENTRY);
        int at = n * ENTRY;
        LONG.set(entries, at, idHash);
        FLOAT.set(entries, at + 8, kwh);
        entries[at + 12] = (byte) ((quality.ordinal() << 2) | period);
        addToPeriod(period, kwh);
        return new Applied(ReadingRegister.Outcome.NEW, period, kwh, period, 0f);
    }
}
