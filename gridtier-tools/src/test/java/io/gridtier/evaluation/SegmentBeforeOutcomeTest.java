package io.gridtier.evaluation;

import io.gridtier.schema.CustomerSegment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.LocalDate;
import java.util.List;

import static io.gridtier.evaluation.Segments.ZONE;
import static io.gridtier.evaluation.Segments.segment;
import static org.assertj.core.api.Assertions.assertThat;

class SegmentBeforeOutcomeTest {
    /** C1's segments evaluate 2024-03-01, 03-05 and 03-10 (stamped at the following local midnight). */
    private static final SegmentHistory HISTORY = SegmentHistory.of(List.of(
            segment("C1", LocalDate.parse("2024-03-05")).build(),
            segment("C1", LocalDate.parse("2024-03-01")).build(),
            segment("C1", LocalDate.parse("2024-03-10")).build()));

    @ParameterizedTest(name = "churned on {0}: measured on the segment of {1}")
    @CsvSource({
        "2024-03-11, 2024-03-10",   // the day before the outcome counts
        "2024-03-10, 2024-03-05",   // the outcome's own day does not, though stamped at its midnight
        "2024-03-06, 2024-03-05",
        "2024-03-02, 2024-03-01",
        "2024-03-01, none",         // segmented only from the outcome's day on: not measured
    })
    void aCustomerWithTheOutcomeIsMeasuredOnItsLatestSegmentOfADayBeforeIt(LocalDate churned, String expected) {
        var selection = SegmentBeforeOutcome.select(HISTORY,
                List.of(new Outcome("C1", Outcome.Kind.CHURNED, churned)), Outcome.Kind.CHURNED, ZONE);
        if (expected.equals("none")) {
            assertThat(selection.measured()).isEmpty();
            assertThat(selection.reachedWithoutSegmentBefore()).isEqualTo(1);
        } else {
            assertThat(selection.measured()).singleElement().satisfies(m -> {
                assertThat(SegmentHistory.evaluatedDay(m.segment(), ZONE)).isEqualTo(LocalDate.parse(expected));
                assertThat(m.reached()).isTrue();
            });
            assertThat(selection.reachedWithoutSegmentBefore()).isZero();
        }
    }

    @Test
    void aCustomerWithoutTheOutcomeIsMeasuredOnItsLatestSegmentWhateverElseHappenedToIt() {
        var selection = SegmentBeforeOutcome.select(HISTORY,
                List.of(new Outcome("C1", Outcome.Kind.DEFAULTED, LocalDate.parse("2024-03-02"))), Outcome.Kind.CHURNED, ZONE);
        assertThat(selection.measured()).singleElement().satisfies(m -> {
            assertThat(SegmentHistory.evaluatedDay(m.segment(), ZONE)).isEqualTo(LocalDate.parse("2024-03-10"));
            assertThat(m.reached()).isFalse();
        });
    }

    @Test
    void anOutcomeOfACustomerNeverSegmentedIsCountedApart() {
        var selection = SegmentBeforeOutcome.select(HISTORY,
                List.of(new Outcome("C9", Outcome.Kind.CHURNED, LocalDate.parse("2024-03-02"))), Outcome.Kind.CHURNED, ZONE);
        assertThat(selection.measured()).extracting(m -> m.segment().getCustomerId()).containsExactly("C1");
        assertThat(selection.reachedWithoutSegmentBefore()).isEqualTo(1);
    }

    @Test
    void theDayASegmentDescribesEndsAtItsAsOf() {
        CustomerSegment s = segment("C1", LocalDate.parse("2024-03-05")).build();
        assertThat(s.getAsOf()).isEqualTo(LocalDate.parse("2024-03-06").atStartOfDay(ZONE).toInstant());
        assertThat(SegmentHistory.evaluatedDay(s, ZONE)).isEqualTo(LocalDate.parse("2024-03-05"));
    }
}
