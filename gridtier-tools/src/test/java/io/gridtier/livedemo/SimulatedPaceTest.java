package io.gridtier.livedemo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimulatedPaceTest {
    private static final long DAY = 86_400_000L;
    private static final long T0 = 1_700_000_000_000L; // a simulated time
    private static final long WALL = 5_000_000L;       // a wall-clock time

    @Test
    void anEventIsDueAsManyWallSecondsAfterTheFirstAsItsDaysOverThePace() {
        SimulatedPace pace = new SimulatedPace(2);
        pace.start(Long.MIN_VALUE, WALL);

        assertThat(pace.due(T0, Long.MIN_VALUE, WALL)).isEqualTo(WALL);
        assertThat(pace.due(T0 + DAY, T0, WALL + 10)).isEqualTo(WALL + 500);
        assertThat(pace.due(T0 + 3 * DAY, T0 + DAY, WALL + 500)).isEqualTo(WALL + 1500);
    }

    @Test
    void aRestoredClockIsTheOriginOfThePace() {
        SimulatedPace pace = new SimulatedPace(1);
        pace.start(T0, WALL);

        assertThat(pace.due(T0 + DAY / 2, T0, WALL)).isEqualTo(WALL + 500);
    }

    @Test
    void aNewPaceCountsFromTheClockAtTheMomentItTakesEffectWithoutABurst() {
        SimulatedPace pace = new SimulatedPace(1);
        pace.start(Long.MIN_VALUE, WALL);
        pace.due(T0, Long.MIN_VALUE, WALL);
        assertThat(pace.due(T0 + 10 * DAY, T0 + 9 * DAY, WALL + 9000)).isEqualTo(WALL + 10_000);

        pace.setDaysPerSecond(4); // at wall +9,500, the clock at day 10
        long due = pace.due(T0 + 11 * DAY, T0 + 10 * DAY, WALL + 9500);

        // one day at 4 days a second from now: 250 ms, not from the first event (which would be due long ago)
        assertThat(due).isEqualTo(WALL + 9750);
        assertThat(pace.daysPerSecond()).isEqualTo(4);
    }

    @Test
    void behindByMoreThanASecondItGoesOnFromNowInsteadOfCatchingUp() {
        SimulatedPace pace = new SimulatedPace(1);
        pace.start(Long.MIN_VALUE, WALL);
        pace.due(T0, Long.MIN_VALUE, WALL);

        // a pause: day 1 was due at +1 s, it is +5 s now
        assertThat(pace.due(T0 + DAY, T0, WALL + 5000)).isEqualTo(WALL + 5000);
        // and the pace holds from there: day 2 one second later, not at once
        assertThat(pace.due(T0 + 2 * DAY, T0 + DAY, WALL + 5000)).isEqualTo(WALL + 6000);
        // behind by less than a second: no shift, the event is simply sent now
        assertThat(pace.due(T0 + 3 * DAY, T0 + 2 * DAY, WALL + 7800)).isEqualTo(WALL + 7000);
    }

    @Test
    void refusesAPaceThatIsNotPositive() {
        assertThatThrownBy(() -> new SimulatedPace(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be positive");
        SimulatedPace pace = new SimulatedPace(1);
        assertThatThrownBy(() -> pace.setDaysPerSecond(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
