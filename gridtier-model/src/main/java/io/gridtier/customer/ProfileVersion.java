package io.gridtier.customer;

import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;

/** One version of a customer's master data, as the profile history keeps it (Flink POJO). */
public class ProfileVersion {
    public CustomerCategory category;
    public String industry;
    public double voltageKv;
    /** Contract capacity in kVA, or null when the master data has none. */
    public Double contractCapacityKva;
    public int accountOpenedDay;
    /** Epoch day the contract ends, or null for an open-ended contract. */
    public Integer contractEndDay;
    public CustomerStatus status;
    public long updatedAt;
    public String tariff;
    public boolean electricityTheft;

    public ProfileVersion() {
    }
}
