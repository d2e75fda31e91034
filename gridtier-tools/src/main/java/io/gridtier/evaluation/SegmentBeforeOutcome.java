package io.gridtier.evaluation;

import io.gridtier.schema.CustomerSegment;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which segment a score is measured on, so that it is judged only on what was known before the outcome:
 * for a customer who reached the outcome, its latest segment describing a day strictly before the outcome's
 * date; for every other customer, its latest segment. A customer who reached the outcome with no segment
 * before it (segmented only afterwards) cannot be measured and is counted apart.
 */
public final class SegmentBeforeOutcome {
    private SegmentBeforeOutcome() {
    }

    /** A customer as measured: the segment chosen and whether the customer reached the outcome. */
    public record Measured(CustomerSegment segment, boolean reached) { }

    /** The measured customers, in customer order, and those with the outcome but no segment before it. */
    public record Selection(List<Measured> measured, int reachedWithoutSegmentBefore) { }

    /**
     * @param outcomes every outcome; only those of {@code kind} count (a customer's earliest one)
     */
    public static Selection select(SegmentHistory history, List<Outcome> outcomes, Outcome.Kind kind, ZoneId zone) {
        Map<String, LocalDate> dates = new HashMap<>();
        for (Outcome o : outcomes) {
            if (o.outcome() == kind) {
                dates.merge(o.customerId(), o.date(), (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<Measured> measured = new ArrayList<>();
        int without = 0;
        for (Map.Entry<String, List<CustomerSegment>> e : history.byCustomer().entrySet()) {
            LocalDate date = dates.get(e.getKey());
            List<CustomerSegment> segments = e.getValue();
            if (date == null) {
                measured.add(new Measured(segments.get(segments.size() - 1), false));
                continue;
            }
            CustomerSegment before = null;
            for (CustomerSegment s : segments) {
                if (SegmentHistory.evaluatedDay(s, zone).isBefore(date)) {
                    before = s;
                } else {
                    break;
                }
            }
            if (before == null) {
                without++;
            } else {
                measured.add(new Measured(before, true));
            }
        }
        for (String id : dates.keySet()) {
            if (!history.byCustomer().containsKey(id)) {
                without++;
            }
        }
        return new Selection(measured, without);
    }
}
