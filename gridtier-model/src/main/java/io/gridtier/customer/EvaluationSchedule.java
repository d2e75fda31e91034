package io.gridtier.customer;

import java.util.function.IntToLongFunction;
import java.util.function.LongToIntFunction;

/**
 * When a customer is evaluated. A customer is evaluated at the end of the local day of each of its events
 * and then once a day (the daily tick), always at a day's end in event time, so that a replay and a Kafka
 * run evaluate the same days with the same inputs. Timers for days already covered are no-ops; an event
 * for a day already evaluated, with no tick pending, resumes the ticks from the next day. At the end of a
 * bounded input (the watermark at its maximum) the ticks stop after the day of the customer's latest event.
 * A closed customer is retired once the retention after closure has passed.
 */
public final class EvaluationSchedule {
    /** What a timer firing at a day's end asks for. */
    public enum Action { EVALUATE, SKIP, RESUME_TICKS }

    /** @param resumeAt with {@link Action#RESUME_TICKS}: the event time of the next tick to set */
    public record Decision(Action action, long resumeAt) {
        static final Decision EVALUATE = new Decision(Action.EVALUATE, SegmentMemory.NEVER);
        static final Decision SKIP = new Decision(Action.SKIP, SegmentMemory.NEVER);
    }

    private final LongToIntFunction dayOf;
    private final IntToLongFunction dayEnd;

    /**
     * @param dayOf  the local day (epoch day) of an instant (epoch millis)
     * @param dayEnd the first instant of the local day after a day: the event time of that day's evaluation
     */
    public EvaluationSchedule(LongToIntFunction dayOf, IntToLongFunction dayEnd) {
        this.dayOf = dayOf;
        this.dayEnd = dayEnd;
    }

    /** The end of an event's day: when that day is evaluated. */
    public long evaluationOf(int day) {
        return dayEnd.applyAsLong(day);
    }

    /** The day a timer at {@code timestamp} (a day's end) evaluates. */
    public int evaluatedDay(long timestamp) {
        return dayOf.applyAsInt(timestamp - 1);
    }

    /** What to do when a timer fires at {@code timestamp}, given the customer's memory. */
    public Decision onTimer(long timestamp, SegmentMemory m) {
        if (m.nextTickAt != timestamp) {
            if (m.nextTickAt != SegmentMemory.NEVER) {
                return Decision.SKIP; // the daily tick is running: it will include this day
            }
            if (m.evaluatedAt != SegmentMemory.NEVER && timestamp <= m.evaluatedAt) {
                return new Decision(Action.RESUME_TICKS, dayEnd.applyAsLong(evaluatedDay(m.evaluatedAt) + 1));
            }
        }
        return Decision.EVALUATE;
    }

    /**
     * The next daily tick after evaluating {@code today}, or {@link SegmentMemory#NEVER} for none.
     *
     * @param evaluated        whether the customer could be evaluated (it has a profile)
     * @param watermark        the current watermark; {@code Long.MAX_VALUE} at the end of a bounded input
     * @param latestReadingDay the latest day with readings or history
     * @param latestEventAt    event time of the customer's latest event, or NEVER
     */
    public long nextTick(int today, boolean evaluated, long watermark, int latestReadingDay, long latestEventAt) {
        int latestEventDay = Math.max(latestReadingDay,
                latestEventAt == SegmentMemory.NEVER ? Integer.MIN_VALUE : dayOf.applyAsInt(latestEventAt));
        if (evaluated && (watermark != Long.MAX_VALUE || today + 1 <= latestEventDay)) {
            return dayEnd.applyAsLong(today + 1);
        }
        return SegmentMemory.NEVER;
    }

    /** Whether a closed customer's state is due for removal on {@code today}. */
    public static boolean retire(SegmentMemory m, int today, int closedRetentionDays) {
        return m.closedOnDay != Integer.MIN_VALUE && today - m.closedOnDay >= closedRetentionDays;
    }
}
