package io.gridtier.livedemo;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * When a producer first sent a record beyond each event time: the largest event time sent so far and the wall time
 * it was reached, recorded each time it grows. The outputs' latency is measured from it — an evaluation as of
 * {@code asOf} becomes possible with the first record whose event time lets the watermark pass {@code asOf}.
 * Written by the producer's thread, read by the output reader's (the live demo's streamer and summary, bench-e2e).
 */
public final class EventClock {
    private final ConcurrentSkipListMap<Long, Long> reachedAt = new ConcurrentSkipListMap<>();
    private volatile long latest = Long.MIN_VALUE;

    /** A record of this event time was sent at {@code wallMillis}; moves the clock only forward. */
    public void sent(long eventTime, long wallMillis) {
        if (eventTime > latest) {
            latest = eventTime;
            reachedAt.put(eventTime, wallMillis);
        }
    }

    /** Wall time at which the first record with an event time above {@code eventTime} was sent, or -1. */
    public long firstSentAfter(long eventTime) {
        Map.Entry<Long, Long> e = reachedAt.higherEntry(eventTime);
        return e == null ? -1 : e.getValue();
    }
}
