package io.gridtier.generator;

import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.PaymentChannel;
import io.gridtier.schema.PaymentReceived;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One synthetic customer: its master data, its scripted trajectory, and the running state of its meter and
 * its account. {@link Population} writes the script; the generator's day loop plays it.
 */
final class SyntheticCustomer {
    /** A change to the master data, published as a CustomerProfile at that local time. */
    record ProfileChange(LocalDate day, int secondOfDay, CustomerStatus status, LocalDate contractEnd,
                         Double contractCapacityKva, Double voltageKv) {
    }

    /** A billing period that has closed and waits for the billing run that issues its bill. */
    record ClosedPeriod(LocalDate periodStart, LocalDate periodEnd, double kwh, LocalDate issueDay) {
    }

    /**
     * A payment the customer will make on {@code day}, unless it has stopped paying by then.
     *
     * @param billDue the due date of the (earliest) bill it pays, or null when skipping it leaves no bill unpaid
     */
    record PlannedPayment(LocalDate day, PaymentReceived payment, boolean evenWhenDefaulting, LocalDate billDue) {
    }

    final int ordinal;
    final String customerId;
    final String meterId;
    final CustomerCategory category;
    final String industry;
    final UsagePattern pattern;
    final LocalDate accountOpened;
    /** The day supply starts: the first simulated day for customers connected before the period. */
    final LocalDate connectDate;
    final boolean newConnection;
    final double baseAnnualKwh;
    final Trajectory trajectory;
    /** The local day the scripted change starts; null for STABLE customers. */
    final LocalDate changeStart;
    final SplittableRandom rng;

    double voltageKv;
    Double contractCapacityKva;
    LocalDate contractEnd;
    CustomerStatus status = CustomerStatus.ACTIVE;
    final List<ProfileChange> profileChanges = new ArrayList<>();
    int nextProfileChange;

    double annualDrift;
    int intervalMinutes = GeneratorOptions.DAILY;
    /** One of the largest C&I customers, read at the fine interval. */
    boolean intervalMeter;

    double growthFactor = 1.0;
    int growthRampDays = 1;
    boolean meterGoesSilent;
    double churnLevel = 1.0;
    int churnRampDays;
    LocalDate suspendDate;
    LocalDate closeDate;
    boolean paymentsDeteriorate;
    LocalDate tokenPaymentDay;

    /** The earliest due date of a bill a defaulter left unpaid: its arrears age from then (outcomes.csv). */
    LocalDate firstUnpaidDue;
    /** A grower's kWh of its last 365 days (a ring, by day index), to find the day its trailing year crosses the floor. */
    double[] trailingYearKwh;
    double trailingYearSum;
    /** The first day a grower's trailing 365 days reached the key-account floor of its category (outcomes.csv). */
    LocalDate reachedKeyAccountSize;

    PaymentHabit habit = PaymentHabit.ON_TIME;
    PaymentChannel usualChannel = PaymentChannel.ONLINE;
    double namesBillShare = 1.0;
    int lateDaysMin = 5;
    int lateDaysMax = 40;
    int bundleSize = 2;
    int billingMonths = 1;
    int billIssueLagDays = 2;

    LocalDate periodStart;
    double periodKwh;
    final ArrayDeque<ClosedPeriod> closedPeriods = new ArrayDeque<>(2);
    final List<BillIssued> heldBills = new ArrayList<>(3);
    final List<PlannedPayment> plannedPayments = new ArrayList<>(4);
    BigDecimal unpaidSinceDefault = BigDecimal.ZERO;
    int paymentCount;
    int outageDaysLeft;

    SyntheticCustomer(int ordinal, SplittableRandom rng, CustomerCategory category, UsagePattern pattern,
                      String industry, LocalDate accountOpened, LocalDate connectDate, boolean newConnection,
                      double baseAnnualKwh, Trajectory trajectory, LocalDate changeStart) {
        this.ordinal = ordinal;
        this.rng = rng;
        this.customerId = String.format("C%07d", ordinal + 1);
        this.meterId = String.format("M%07d", ordinal + 1);
        this.category = category;
        this.pattern = pattern;
        this.industry = industry;
        this.accountOpened = accountOpened;
        this.connectDate = connectDate;
        this.newConnection = newConnection;
        this.baseAnnualKwh = baseAnnualKwh;
        this.trajectory = trajectory;
        this.changeStart = changeStart;
        this.periodStart = connectDate;
    }

    /** Connected and not yet closed. */
    boolean connectedOn(LocalDate day) {
        return !day.isBefore(connectDate) && (closeDate == null || day.isBefore(closeDate));
    }

    /** Connected and not suspended: supply flows. */
    boolean suppliedOn(LocalDate day) {
        return connectedOn(day) && (suspendDate == null || day.isBefore(suspendDate));
    }

    boolean meterSilentOn(LocalDate day) {
        return meterGoesSilent && !day.isBefore(changeStart);
    }

    /** The scripted multiplier on the customer's ordinary level: growth, or the churn drop. */
    double scriptedLevel(LocalDate day) {
        if (changeStart == null || day.isBefore(changeStart)) {
            return 1.0;
        }
        long days = ChronoUnit.DAYS.between(changeStart, day);
        switch (trajectory) {
            case GROWER:
                return 1.0 + (growthFactor - 1.0) * growthShare(days, growthRampDays);
            case CHURNER:
                double progress = Math.min(1.0, (days + 1) / (double) (churnRampDays + 1));
                return 1.0 - (1.0 - churnLevel) * progress;
            default:
                return 1.0;
        }
    }

    /** Growth follows an S-curve: slow start, fast middle, levelling off at the new size. */
    static double growthShare(long daysIntoRamp, int rampDays) {
        double t = Math.min(1.0, Math.max(0.0, daysIntoRamp / (double) rampDays));
        return t * t * (3.0 - 2.0 * t);
    }

    boolean defaultingOn(LocalDate day) {
        return trajectory == Trajectory.DEFAULTER && !day.isBefore(changeStart);
    }

    boolean paymentsDeterioratedOn(LocalDate day) {
        return trajectory == Trajectory.CHURNER && paymentsDeteriorate && !day.isBefore(changeStart);
    }

    CustomerProfile profile(Instant updatedAt) {
        // a builder, so that fields added to the schema later get their defaults
        return CustomerProfile.newBuilder()
                .setCustomerId(customerId)
                .setCategory(category)
                .setIndustry(industry)
                .setVoltageKv(voltageKv)
                .setContractCapacityKva(contractCapacityKva)
                .setAccountOpened(accountOpened)
                .setContractEnd(contractEnd)
                .setStatus(status)
                .setUpdatedAt(updatedAt)
                .build();
    }

    void apply(ProfileChange change) {
        if (change.status() != null) {
            status = change.status();
        }
        if (change.contractEnd() != null) {
            contractEnd = change.contractEnd();
        }
        if (change.contractCapacityKva() != null) {
            contractCapacityKva = change.contractCapacityKva();
        }
        if (change.voltageKv() != null) {
            voltageKv = change.voltageKv();
        }
    }

    /** A defaulter did not pay a bill due on {@code due}. */
    void leftUnpaid(LocalDate due) {
        if (due != null && (firstUnpaidDue == null || due.isBefore(firstUnpaidDue))) {
            firstUnpaidDue = due;
        }
    }

    /** A grower's kWh of a simulated day; notes the first day its trailing 365 days reach {@code floorKwh}. */
    void countTowardsKeyAccountSize(int dayIndex, LocalDate day, double kwh, double floorKwh) {
        if (trailingYearKwh == null) {
            trailingYearKwh = new double[365];
        }
        int slot = dayIndex % 365;
        trailingYearSum += kwh - trailingYearKwh[slot];
        trailingYearKwh[slot] = kwh;
        if (reachedKeyAccountSize == null && trailingYearSum >= floorKwh) {
            reachedKeyAccountSize = day;
        }
    }

    String nextPaymentId() {
        paymentCount++;
        return "P-" + customerId + "-" + String.format("%05d", paymentCount);
    }
}
