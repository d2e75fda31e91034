package io.gridtier.job;

import io.gridtier.ingest.CustomerEvent;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.ReadingQuality;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import static io.gridtier.job.TestEvents.bill;
import static io.gridtier.job.TestEvents.dayEnd;
import static io.gridtier.job.TestEvents.daily;
import static io.gridtier.job.TestEvents.event;
import static io.gridtier.job.TestEvents.profile;

/**
 * The events of the state-compatibility test, in two phases: the segmenter's state after phase 1 was written by
 * an earlier release (src/test/resources/compatibility/), and the current release must carry on from it. Never
 * change this class: the stored snapshots were made from it (WriteSegmenterSnapshot at that release).
 */
final class CompatibilityScenario {
    /** Phase 1 ends with days 1-8 January 2024 evaluated and 9-10 January read but not yet evaluated. */
    static final long PHASE1_WATERMARK = dayEnd("2024-01-08");
    /**
     * Phase 2 reads 11-20 January (C2 falls silent after the 12th and never pays its bill) and lets event time
     * run to the end of 15 March: silent days tick, arrears age, thresholds are crossed.
     */
    static final long PHASE2_WATERMARK = dayEnd("2024-03-15");

    private CompatibilityScenario() {
    }

    static List<CustomerEvent> phase1() {
        List<CustomerEvent> events = new ArrayList<>();
        events.add(event(profile("C1", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        events.add(event(profile("C2", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        events.add(event(bill("C2", "C2-B1", "2024-01-03", "2024-01-13", "120.00")));
        readings(events, 1, 10);
        return events;
    }

    static List<CustomerEvent> phase2() {
        List<CustomerEvent> events = new ArrayList<>();
        for (int d = 11; d <= 20; d++) {
            String day = LocalDate.of(2024, 1, d).toString();
            events.add(event(daily("C1", day, 1000 + 10 * d, ReadingQuality.ACTUAL)));
            if (d <= 12) {
                events.add(event(daily("C2", day, 40, ReadingQuality.ACTUAL)));
            }
        }
        events.add(event(bill("C1", "C1-B1", "2024-01-15", "2024-01-25", "9000.00")));
        return events;
    }

    private static void readings(List<CustomerEvent> events, int from, int to) {
        for (int d = from; d <= to; d++) {
            String day = LocalDate.of(2024, 1, d).toString();
            events.add(event(daily("C1", day, 1000 + 10 * d, ReadingQuality.ACTUAL)));
            events.add(event(daily("C2", day, 40, ReadingQuality.ACTUAL)));
        }
    }
}
