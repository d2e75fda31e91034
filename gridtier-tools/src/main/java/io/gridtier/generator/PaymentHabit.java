package io.gridtier.generator;

/** How a customer pays its bills when nothing in its script changes that. */
enum PaymentHabit {
    /** The bank collects on or just before the due date. */
    AUTO_DEBIT,
    /** Pays in full before the due date. */
    ON_TIME,
    /** Pays in full, a customer-specific 5–40 days after the due date. */
    HABITUALLY_LATE,
    /** Pays part before the due date and the rest weeks later, without naming the bill. */
    PARTIAL,
    /** Lets two or three bills run up and pays them with one payment. */
    SEVERAL_BILLS_AT_ONCE
}
