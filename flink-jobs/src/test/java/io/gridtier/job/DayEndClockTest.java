package io.gridtier.job;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class DayEndClockTest {
    private final List<DayEnds.DayEnd> finished = new ArrayList<>();
    private final DayEndClock clock = new DayEndClock((t, e, n) -> finished.add(new DayEnds.DayEnd(t, e, n)));

    @Test
    void aDayEndRunsFromItsFirstTimerToItsLastAndEndsAtTheNextTimestamp() {
        clock.timerStarted(1000, 10);
        clock.timerEnded(true, 15);
        clock.timerStarted(1000, 15);
        clock.timerEnded(false, 16); // a skipped tick: part of the wall time, not an evaluation
        clock.timerStarted(1000, 16);
        clock.timerEnded(true, 40);
        assertEquals(List.of(), finished, "still under way");

        clock.timerStarted(2000, 100);
        clock.timerEnded(true, 130);
        assertEquals(List.of(new DayEnds.DayEnd(1000, 2, 30)), finished);

        clock.over(); // a record came
        clock.over(); // twice is once
        assertEquals(List.of(new DayEnds.DayEnd(1000, 2, 30), new DayEnds.DayEnd(2000, 1, 30)), finished);
    }

    @Test
    void aDayEndOfSkippedTicksOnlyIsNotReported() {
        clock.timerStarted(1000, 10);
        clock.timerEnded(false, 12);
        clock.over();
        assertEquals(List.of(), finished);
    }

    @Test
    void subtasksAddTheirEvaluationsAndTheLongestWallTimeIsTheDayEnds() {
        DayEnds one = new DayEnds();
        DayEnds other = new DayEnds();
        one.add(new DayEnds.DayEnd(1000, 300, 2_000_000_000L));
        other.add(new DayEnds.DayEnd(1000, 200, 3_000_000_000L));
        other.add(new DayEnds.DayEnd(2000, 900, 1_000_000_000L));
        one.merge(other);
        DayEnds.DayEnd midnight = one.getLocalValue().largest();
        assertEquals(new DayEnds.DayEnd(2000, 900, 1_000_000_000L), midnight);
        List<DayEnds.DayEnd> all = new ArrayList<>();
        one.getLocalValue().dayEnds().forEach(all::add);
        assertEquals(new DayEnds.DayEnd(1000, 500, 3_000_000_000L), all.get(0));
        assertEquals(500 / 3.0, all.get(0).evaluationsPerSecond(), 1e-9);
        assertEquals(2, one.clone().getLocalValue().toString().split(", ").length);
        one.resetLocal();
        assertNull(one.getLocalValue().largest());
    }

    @Test
    void keepsTheLatestDayEndsOnly() {
        DayEnds acc = new DayEnds();
        for (long day = 0; day < DayEnds.KEPT + 5; day++) {
            acc.add(new DayEnds.DayEnd(day, 1, 1));
        }
        List<DayEnds.DayEnd> kept = new ArrayList<>();
        acc.getLocalValue().dayEnds().forEach(kept::add);
        assertEquals(DayEnds.KEPT, kept.size());
        assertEquals(5, kept.get(0).timestamp());
    }
}
