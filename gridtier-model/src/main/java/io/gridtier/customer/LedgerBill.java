package io.gridtier.customer;

/** A bill as the ledger keeps it (Flink POJO). Money in cents. */
public class LedgerBill {
    public String billId;
    public long issuedAt;
    public int periodStartDay;
    public int periodEndDay;
    public int dueDay;
    public long amountCents;
    public double kwh;

    public LedgerBill() {
    }

    public LedgerBill(String billId, long issuedAt, int periodStartDay, int periodEndDay, int dueDay,
                      long amountCents, double kwh) {
        this.billId = billId;
        this.issuedAt = issuedAt;
        this.periodStartDay = periodStartDay;
        this.periodEndDay = periodEndDay;
        this.dueDay = dueDay;
        this.amountCents = amountCents;
        this.kwh = kwh;
    }
}
