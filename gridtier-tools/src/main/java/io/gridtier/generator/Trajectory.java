package io.gridtier.generator;

/** The scripted future of a synthetic customer: the ground truth that alerts are scored against. */
public enum Trajectory {
    /** Grows steadily from below key-account size into it. */
    GROWER,
    /** Consumption falls sharply against its own seasonal level, or the meter goes silent. */
    CHURNER,
    /** Stops paying; arrears grow past 90 days. */
    DEFAULTER,
    /** Everyone else, seasonal swings included. */
    STABLE
}
