package io.gridtier.format;

import io.gridtier.schema.DeadLetterReason;

/** Why an input record cannot be used; carries the dead-letter reason it maps to. */
public final class BadRecordException extends Exception {
    private final DeadLetterReason reason;

    public BadRecordException(DeadLetterReason reason, String detail) {
        super(detail, null, false, false);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
