package io.gridtier.ingest;

import java.io.Serializable;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Which events come too late to be used, judged against the watermark: a reading whose day is
 * older than the correction window (its duplicates could no longer be recognised), a bill or
 * payment older than the billing horizon. Profiles are never too late: versions are ordered by
 * their own time.
 */
public final class LatenessRule implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long DAY_MS = 86_400_000L;

    private final ZoneId zone;
    private final int correctionWindowDays;
    private final int billingHorizonDays;
    private transient LocalDays days;

    public LatenessRule(ZoneId zone, int correctionWindowDays, int billingHorizonDays) {
        this.zone = zone;
        this.correctionWindowDays = correctionWindowDays;
        this.billingHorizonDays = billingHorizonDays;
    }

    /** The local day a reading counts for: the day its interval starts in. */
    public int readingDay(long intervalEnd) {
        return localDay(intervalEnd - 1);
    }

    public int localDay(long millis) {
        return days().dayOf(millis);
    }

    /** The calendar this rule judges with (one per operator instance: not thread-safe). */
    public LocalDays days() {
        if (days == null) {
            days = new LocalDays(zone);
        }
        return days;
    }

    /** The oldest local day a reading may have while the watermark is at {@code watermark}. */
    public int oldestReadingDay(long watermark) {
        return localDay(watermark) - correctionWindowDays;
    }

    /** Why the event is too late at this watermark, or null when it is not. */
    public String tooLate(CustomerEvent e, long watermark) {
        if (watermark == Long.MIN_VALUE) {
            return null;
        }
        switch (e.kind) {
            case READING:
                int day = readingDay(e.timestamp);
                int oldest = oldestReadingDay(watermark);
                return day < oldest ? "reading for " + java.time.LocalDate.ofEpochDay(day)
                        + " is older than the correction window of " + correctionWindowDays
                        + " days (oldest accepted " + java.time.LocalDate.ofEpochDay(oldest) + ")" : null;
            case BILL:
            case PAYMENT:
                return e.timestamp < watermark - billingHorizonDays * DAY_MS
                        ? e.kind.name().toLowerCase() + " is older than the billing horizon of " + billingHorizonDays + " days"
                        : null;
            default:
                return null;
        }
    }

    public int correctionWindowDays() {
        return correctionWindowDays;
    }
}
