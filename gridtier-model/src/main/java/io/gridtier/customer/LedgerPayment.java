package io.gridtier.customer;

/**
 * A payment as the ledger keeps it (Flink POJO). Money in cents. {@code received} is false for a
 * placeholder created when the notice of a returned payment arrives before the payment itself.
 */
public class LedgerPayment {
    public static final long NOT_RETURNED = Long.MIN_VALUE;

    public String paymentId;
    /** The bill the payer named, or null. */
    public String billId;
    public long amountCents;
    public long paidAt;
    public long returnedAt = NOT_RETURNED;
    public boolean received;

    public LedgerPayment() {
    }

    public LedgerPayment(String paymentId, String billId, long amountCents, long paidAt) {
        this.paymentId = paymentId;
        this.billId = billId;
        this.amountCents = amountCents;
        this.paidAt = paidAt;
        this.received = true;
    }

    boolean returnedBy(long asOf) {
        return returnedAt != NOT_RETURNED && returnedAt < asOf;
    }
}
