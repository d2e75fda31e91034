package io.gridtier.model;

import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;

import java.util.List;
import java.util.function.Supplier;

/**
 * The result of one evaluation. The segment (with its factors' sentences) is built only when asked
 * for: the operator asks only when it is to be written out.
 */
public final class Evaluation {
    private final Supplier<CustomerSegment> build;
    private final boolean emit;
    private final List<SegmentAlert> alerts;
    private CustomerSegment segment;

    Evaluation(Supplier<CustomerSegment> build, boolean emit, List<SegmentAlert> alerts) {
        this.build = build;
        this.emit = emit;
        this.alerts = alerts;
    }

    /** The customer's segmentation now. */
    public CustomerSegment segment() {
        if (segment == null) {
            segment = build.get();
        }
        return segment;
    }

    /** Whether the segment differs materially from the last one written out, so must be written. */
    public boolean emit() {
        return emit;
    }

    /** Threshold crossings of this evaluation, in a fixed order. */
    public List<SegmentAlert> alerts() {
        return alerts;
    }
}
