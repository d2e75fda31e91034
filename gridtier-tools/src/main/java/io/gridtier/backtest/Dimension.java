package io.gridtier.backtest;

import io.gridtier.schema.CustomerSegment;

import java.util.List;
import java.util.function.Function;

/** A segmentation a model change can move a customer along, with its levels from best to worst. */
public enum Dimension {
    VALUE_TIER("value tier", s -> s.getValueTier().name(), List.of("KEY_ACCOUNT", "HIGH_VALUE", "STANDARD", "LOW_VALUE")),
    CHURN_RISK("churn risk", s -> s.getChurnRisk().name(), List.of("LOW", "ELEVATED", "HIGH")),
    CREDIT_RATING("credit rating", s -> s.getCreditRating().name(), List.of("A", "B", "C")),
    POTENTIAL_KEY_ACCOUNT("potential key account", s -> s.getPotentialKeyAccount() ? "yes" : "no", List.of("yes", "no"));

    /** The level of a customer that has no segment yet at the time (not segmented by that model then). */
    public static final String NONE = "none";

    private final String label;
    private final Function<CustomerSegment, String> level;
    private final List<String> levels;

    Dimension(String label, Function<CustomerSegment, String> level, List<String> levels) {
        this.label = label;
        this.level = level;
        this.levels = levels;
    }

    public String label() {
        return label;
    }

    /** The segment's level, or {@link #NONE} for no segment. */
    public String levelOf(CustomerSegment segment) {
        return segment == null ? NONE : level.apply(segment);
    }

    /** Every level, best first, then {@link #NONE}. */
    public List<String> levels() {
        List<String> all = new java.util.ArrayList<>(levels);
        all.add(NONE);
        return all;
    }
}
