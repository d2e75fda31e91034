package io.gridtier.livedemo;

/**
 * When the {@link EventStreamer} may send an event that moves its simulated clock forward: at {@code daysPerSecond}
 * simulated days per wall-clock second, measured from the first such event (or from a clock restored from the
 * offset file). A new pace ({@link #setDaysPerSecond}) counts from the clock at the moment it takes effect, so
 * nothing already due is sent in a burst. Behind the pace by more than a second (a pause, a slow machine), it goes
 * on at the pace from there: no burst to catch up either. Pure arithmetic on the times it is given.
 */
final class SimulatedPace {
    private static final long NO_CLOCK = Long.MIN_VALUE;
    private static final long CATCH_UP_LIMIT_MILLIS = 1000;

    private volatile double wanted;
    private double pace;
    private double simMillisPerWallMilli;
    private long wallStart;
    private long simStart;

    SimulatedPace(double daysPerSecond) {
        check(daysPerSecond);
        this.wanted = daysPerSecond;
        start(NO_CLOCK, 0);
    }

    /**
     * Starts (or starts again) at the pace now wanted.
     *
     * @param clockMillis the simulated clock restored from the offset file, or {@link Long#MIN_VALUE} for none
     * @param nowMillis the wall clock at the start
     */
    void start(long clockMillis, long nowMillis) {
        this.pace = wanted;
        this.simMillisPerWallMilli = pace * 86_400_000d / 1000d;
        this.wallStart = nowMillis;
        this.simStart = clockMillis;
    }

    /** A new pace from the next event that moves the clock (any thread). */
    void setDaysPerSecond(double daysPerSecond) {
        check(daysPerSecond);
        this.wanted = daysPerSecond;
    }

    double daysPerSecond() {
        return wanted;
    }

    /**
     * The wall-clock time at which an event at {@code eventTime}, ahead of the simulated clock {@code clockMillis},
     * is due; the caller waits until then.
     */
    long due(long eventTime, long clockMillis, long nowMillis) {
        if (simStart == NO_CLOCK) {
            simStart = eventTime;
        }
        double w = wanted;
        if (w != pace) {
            // a new pace from here: measured from the clock, at this moment
            pace = w;
            simMillisPerWallMilli = w * 86_400_000d / 1000d;
            wallStart = nowMillis;
            simStart = clockMillis == NO_CLOCK ? eventTime : clockMillis;
        }
        long due = wallStart + (long) ((eventTime - simStart) / simMillisPerWallMilli);
        long behind = nowMillis - due;
        if (behind > CATCH_UP_LIMIT_MILLIS) {
            wallStart += behind;
            due += behind;
        }
        return due;
    }

    private static void check(double daysPerSecond) {
        if (!(daysPerSecond > 0)) {
            throw new IllegalArgumentException("days per second must be positive, not " + daysPerSecond);
        }
    }
}
