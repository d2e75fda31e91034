package io.gridtier.customer;

import io.gridtier.schema.ReadingQuality;

import java.nio.charset.StandardCharsets;

/**
 * Remembers, for the readings inside the correction window, what each reading contributed, so that a
 * re-sent reading is counted once and a CORRECTED one replaces the value it corrects. One entry per
 * reading: the key is a 64-bit hash of the readingId, the value packs the day, time-of-use period,
 * quality and kWh into one long. Plain logic; the operator keeps the entries in a RocksDB MapState
 * and removes those older than the window on its daily tick.
 */
public final class ReadingRegister {
    private ReadingRegister() {
    }

    /**
     * What applying a reading means for the consumption history; DAY_FULL: a new reading for a day that
     * already holds as many distinct readings as allowed, refused (nothing changed).
     */
    public enum Outcome { NEW, DUPLICATE, CORRECTED, DAY_FULL }

    /** 64-bit FNV-1a of the readingId's UTF-8 bytes with a final avalanche (collisions: ~2^-64 per pair). */
    public static long key(String readingId) {
        long h = 0xcbf29ce484222325L;
        for (byte b : readingId.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb3fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    /** Packs a reading's contribution into one long: epoch day (22 bits), period (2), quality (2), kWh (float, 32). */
    public static long pack(int day, int period, ReadingQuality quality, float kwh) {
        long dayBits = (day & 0x3FFFFFL) << 36;         // 22 bits of epoch day (to year 13,000)
        long periodBits = ((long) period & 0x3L) << 34;
        long qualityBits = ((long) quality.ordinal() & 0x3L) << 32;
        return dayBits | periodBits | qualityBits | (Float.floatToRawIntBits(kwh) & 0xFFFFFFFFL);
    }

    public static int day(long packed) {
        return (int) ((packed >>> 36) & 0x3FFFFFL);
    }

    public static int period(long packed) {
        return (int) ((packed >>> 34) & 0x3L);
    }

    public static ReadingQuality quality(long packed) {
        return ReadingQuality.values()[(int) ((packed >>> 32) & 0x3L)];
    }

    public static float kwh(long packed) {
        return Float.intBitsToFloat((int) packed);
    }

    /**
     * Decides what a reading does given what the register holds for its id: the first one is NEW; a
     * repeat is a DUPLICATE unless it is CORRECTED and the held one is not, in which case it replaces
     * it. A reading that is not CORRECTED never replaces a CORRECTED one, so the result does not
     * depend on the order in which an estimate and its correction arrive.
     */
    public static Outcome decide(Long held, ReadingQuality incoming, float incomingKwh) {
        if (held == null) {
            return Outcome.NEW;
        }
        if (incoming == ReadingQuality.CORRECTED) {
            ReadingQuality heldQuality = quality(held);
            if (heldQuality != ReadingQuality.CORRECTED) {
                return Outcome.CORRECTED;
            }
            // two corrections of one reading: the larger wins, so that arrival order does not matter
            return incomingKwh > kwh(held) ? Outcome.CORRECTED : Outcome.DUPLICATE;
        }
        return Outcome.DUPLICATE;
    }
}
