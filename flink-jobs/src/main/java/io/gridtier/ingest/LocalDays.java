package io.gridtier.ingest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Local days of the utility's time zone, for instants that mostly fall on the same day as the one
 * before: the last day's bounds are kept, so the zone rules are consulted once a day instead of for
 * every reading. Not thread-safe: one per operator instance.
 */
public final class LocalDays {
    private static final long HOUR_MS = 3_600_000L;
    private final ZoneId zone;
    private long from = Long.MAX_VALUE;
    private long until = Long.MIN_VALUE;
    private int day;
    private int month;

    public LocalDays(ZoneId zone) {
        this.zone = zone;
    }

    private void load(long millis) {
        if (millis >= from && millis < until) {
            return;
        }
        LocalDate d = Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
        day = (int) d.toEpochDay();
        month = d.getYear() * 12 + d.getMonthValue() - 1;
        from = d.atStartOfDay(zone).toInstant().toEpochMilli();
        until = d.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The local epoch day of an instant. */
    public int dayOf(long millis) {
        load(millis);
        return day;
    }

    /** The local month index (year * 12 + month - 1) of an instant. */
    public int monthOf(long millis) {
        load(millis);
        return month;
    }

    /** The local hour (0-23) of an instant; on a day with a daylight-saving change, from the zone rules. */
    public int hourOf(long millis) {
        load(millis);
        if (until - from == 24 * HOUR_MS) {
            return (int) ((millis - from) / HOUR_MS);
        }
        return Instant.ofEpochMilli(millis).atZone(zone).getHour();
    }

    /** The first instant of the local day after {@code day}. */
    public long dayEnd(int day) {
        if (day == this.day && until != Long.MIN_VALUE) {
            return until;
        }
        return LocalDate.ofEpochDay(day + 1L).atStartOfDay(zone).toInstant().toEpochMilli();
    }

    /** The local month index of an epoch day. */
    public int monthOfDay(int day) {
        if (day == this.day && until != Long.MIN_VALUE) {
            return month;
        }
        LocalDate d = LocalDate.ofEpochDay(day);
        return d.getYear() * 12 + d.getMonthValue() - 1;
    }
}
