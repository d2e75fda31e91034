package io.gridtier.generator;

/** What a line of {@code events.jsonl} is, for the generator's own accounting. */
public enum LineKind {
    PROFILE("CustomerProfile"),
    READING("MeterReading ACTUAL"),
    READING_ESTIMATED("MeterReading ESTIMATED"),
    READING_CORRECTED("MeterReading CORRECTED (1-5 days later)"),
    READING_RESENT("MeterReading re-sent duplicate"),
    BILL("BillIssued"),
    PAYMENT("PaymentReceived"),
    PAYMENT_RETURNED("PaymentReceived returned"),
    BAD_UNPARSEABLE("bad line: unparseable (truncated upload)"),
    BAD_NEGATIVE_KWH("bad line: negative kwh"),
    BAD_MISSING_CUSTOMER_ID("bad line: missing customerId");

    private final String label;

    LineKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Injected on purpose so that the dead-letter path is exercised. */
    public boolean isBad() {
        return this == BAD_UNPARSEABLE || this == BAD_NEGATIVE_KWH || this == BAD_MISSING_CUSTOMER_ID;
    }
}
