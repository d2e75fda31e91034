package io.gridtier.ingest;

import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileVersion;
import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * A validated input event for one customer: exactly one of reading, profile, bill or payment is set.
 * Until the lateness gate it also carries its origin and original bytes (for a TOO_LATE dead letter);
 * the gate drops them so they do not travel through the keyBy. Serialised by the hand-written
 * {@link CustomerEventSerializer} (it crosses the keyBy once per event), not by Flink's POJO serializer.
 */
@TypeInfo(CustomerEventSerializer.Factory.class)
public class CustomerEvent {
    public enum Kind { READING, PROFILE, BILL, PAYMENT }

    public Kind kind;
    public String customerId;
    /** Event time (epoch millis). */
    public long timestamp;

    public ReadingEvent reading;
    public ProfileVersion profile;
    public LedgerBill bill;
    public LedgerPayment payment;

    public RawRecord origin;

    public CustomerEvent() {
    }
}
