package io.gridtier.job;

/**
 * Times the day ends of one subtask: a day end is the run of timers for one timestamp (a local midnight)
 * that a watermark step fires back to back, every customer's daily evaluation. Its wall time runs from
 * the start of its first timer to the end of its last; it is over when a timer for another timestamp or
 * a record comes (the watermark step has ended) or the operator closes. Plain Java; the clock is passed in.
 */
final class DayEndClock {
    /** Where a finished day end goes. */
    interface Listener {
        void dayEnd(long timestamp, long evaluations, long nanos);
    }

    private static final long NONE = Long.MIN_VALUE;
    private final Listener listener;
    private long timestamp = NONE;
    private long firstStart;
    private long lastEnd;
    private long evaluations;

    DayEndClock(Listener listener) {
        this.listener = listener;
    }

    /** A timer for {@code timestamp} starts at {@code nanoTime}. */
    void timerStarted(long timestamp, long nanoTime) {
        if (timestamp != this.timestamp) {
            over();
            this.timestamp = timestamp;
            firstStart = nanoTime;
            evaluations = 0;
        }
    }

    /** The timer started last ends at {@code nanoTime}, having evaluated a customer or not (a skipped tick). */
    void timerEnded(boolean evaluated, long nanoTime) {
        lastEnd = nanoTime;
        if (evaluated) {
            evaluations++;
        }
    }

    /** The day end under way, if any, is over: a record came, or the operator closes. */
    void over() {
        if (timestamp != NONE && evaluations > 0) {
            listener.dayEnd(timestamp, evaluations, lastEnd - firstStart);
        }
        timestamp = NONE;
    }
}
