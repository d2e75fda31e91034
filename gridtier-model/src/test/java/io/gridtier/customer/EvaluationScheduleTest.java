package io.gridtier.customer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationScheduleTest {
    private static final long DAY = 86_400_000L;
    /** UTC days, as a utility in UTC would have them. */
    private final EvaluationSchedule schedule = new EvaluationSchedule(ms -> (int) Math.floorDiv(ms, DAY), d -> (d + 1) * DAY);

    private static SegmentMemory memory(long nextTickAt, long evaluatedAt) {
        SegmentMemory m = new SegmentMemory();
        m.nextTickAt = nextTickAt;
        m.evaluatedAt = evaluatedAt;
        return m;
    }

    @Test
    void aDayIsEvaluatedAtItsEndAndTheTimerNamesThatDay() {
        assertThat(schedule.evaluationOf(10)).isEqualTo(11 * DAY);
        assertThat(schedule.evaluatedDay(11 * DAY)).isEqualTo(10);
    }

    @Test
    void theDueTickEvaluates() {
        assertThat(schedule.onTimer(11 * DAY, memory(11 * DAY, 10 * DAY)).action()).isEqualTo(EvaluationSchedule.Action.EVALUATE);
    }

    @Test
    void aFirstEventEvaluatesWhenNoTickRunsAndNothingWasEvaluated() {
        assertThat(schedule.onTimer(11 * DAY, memory(SegmentMemory.NEVER, SegmentMemory.NEVER)).action())
                .isEqualTo(EvaluationSchedule.Action.EVALUATE);
    }

    @Test
    void anEventTimerIsSkippedWhileTheDailyTickRuns() {
        assertThat(schedule.onTimer(9 * DAY, memory(12 * DAY, 11 * DAY)).action()).isEqualTo(EvaluationSchedule.Action.SKIP);
    }

    @Test
    void lateEventForAnEvaluatedDayResumesTickingFromTheDayAfterTheLastEvaluation() {
        EvaluationSchedule.Decision d = schedule.onTimer(9 * DAY, memory(SegmentMemory.NEVER, 11 * DAY));
        assertThat(d.action()).isEqualTo(EvaluationSchedule.Action.RESUME_TICKS);
        assertThat(d.resumeAt()).as("the last evaluation covered day 10; the next is day 11's end").isEqualTo(12 * DAY);
    }

    @Test
    void anEventAfterTheLastEvaluationWithNoTickEvaluatesItsDay() {
        assertThat(schedule.onTimer(15 * DAY, memory(SegmentMemory.NEVER, 11 * DAY)).action())
                .isEqualTo(EvaluationSchedule.Action.EVALUATE);
    }

    @ParameterizedTest(name = "today {0}, evaluated {1}, watermark {2}, latest reading day {3}, latest event day {4} -> next tick at day {5}'s end")
    @CsvSource({
            // an unbounded stream ticks daily
            "10, true,  1000, 10, 10, 11",
            // a customer that could not be evaluated (no profile) does not tick
            "10, false, 1000, 10, 10, ",
            // end of a bounded input: tick on up to the latest reading day ...
            "10, true,  MAX,  12, 10, 11",
            // ... or the latest event day, and no further
            "10, true,  MAX,  9,  11, 11",
            "11, true,  MAX,  9,  11, ",
    })
    void nextTickIsTheFollowingDayEndUntilTheInputEnds(int today, boolean evaluated, String watermark, int latestReadingDay,
                                                       int latestEventDay, Integer nextDay) {
        long wm = watermark.equals("MAX") ? Long.MAX_VALUE : Long.parseLong(watermark) * DAY;
        long next = schedule.nextTick(today, evaluated, wm, latestReadingDay, latestEventDay * DAY + 5);
        assertThat(next).isEqualTo(nextDay == null ? SegmentMemory.NEVER : (nextDay + 1) * DAY);
    }

    @ParameterizedTest(name = "closed on day {0}, today {1}, retention {2} days -> retire {3}")
    @CsvSource({
            "100, 499, 400, false",
            "100, 500, 400, true",
            "100, 900, 400, true",
    })
    void aClosedCustomerIsRetiredOnceTheRetentionHasPassed(int closedOn, int today, int retention, boolean retire) {
        SegmentMemory m = new SegmentMemory();
        m.closedOnDay = closedOn;
        assertThat(EvaluationSchedule.retire(m, today, retention)).isEqualTo(retire);
    }

    @Test
    void anOpenCustomerIsNeverRetired() {
        assertThat(EvaluationSchedule.retire(new SegmentMemory(), 1_000_000, 1)).isFalse();
    }
}
