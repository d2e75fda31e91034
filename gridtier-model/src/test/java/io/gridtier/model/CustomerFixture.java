package io.gridtier.model;

import io.gridtier.customer.BillingLedger;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.LedgerBill;
import io.gridtier.customer.LedgerPayment;
import io.gridtier.customer.ProfileHistory;
import io.gridtier.customer.ProfileVersion;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.SegmentAlert;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/** One customer's state built by hand, evaluated day by day as the operator would. */
final class CustomerFixture {
    static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    static final ModelConfig MODEL = ModelConfig.load(
            Path.of(System.getProperty("gridtier.configDir", "../config"), "model/gridtier-model-v1.yaml"));

    final ConsumptionHistory consumption = new ConsumptionHistory();
    final BillingLedger ledger = new BillingLedger();
    final ProfileHistory profiles = new ProfileHistory();
    final SegmentMemory memory = new SegmentMemory();
    final SegmentationModel model;
    final List<Evaluation> evaluations = new ArrayList<>();

    CustomerFixture() {
        this(MODEL);
    }

    CustomerFixture(ModelConfig config) {
        this.model = new SegmentationModel(config, ZONE);
    }

    static int day(String isoDate) {
        return (int) LocalDate.parse(isoDate).toEpochDay();
    }

    static long startOf(int day) {
        return LocalDate.ofEpochDay(day).atStartOfDay(ZONE).toInstant().toEpochMilli();
    }

    /** Event time at which a day is evaluated: the start of the next day. */
    static long dayEnd(int day) {
        return startOf(day + 1);
    }

    CustomerFixture profile(CustomerCategory category, String opened, CustomerStatus status, String at) {
        ProfileVersion v = new ProfileVersion();
        v.category = category;
        v.voltageKv = 10;
        v.accountOpenedDay = day(opened);
        v.status = status;
        v.updatedAt = startOf(day(at));
        profiles.add(v);
        return this;
    }

    CustomerFixture profile(CustomerCategory category, String opened) {
        return profile(category, opened, CustomerStatus.ACTIVE, "2000-01-01");
    }

    CustomerFixture contractEnds(String date) {
        profiles.latest().contractEndDay = day(date);
        return this;
    }

    CustomerFixture theft() {
        profiles.latest().electricityTheft = true;
        return this;
    }

    private final java.util.TreeMap<Integer, IntToDoubleFunction> planned = new java.util.TreeMap<>();

    /**
     * Daily kWh for days [from, to] from a function of the day number. Readings reach the state as
     * evaluation reaches their day, as in the job (where only the allowed lateness runs ahead).
     */
    CustomerFixture daily(String from, String to, IntToDoubleFunction kwh) {
        for (int d = day(from); d <= day(to); d++) {
            planned.put(d, kwh);
        }
        return this;
    }

    private void deliverReadingsThrough(int day) {
        while (!planned.isEmpty() && planned.firstKey() <= day) {
            var next = planned.pollFirstEntry();
            consumption.addDay(next.getKey(), next.getValue().applyAsDouble(next.getKey()));
        }
    }

    CustomerFixture bill(String id, String issued, String due, double amount) {
        int issuedDay = day(issued);
        ledger.addBill(new LedgerBill(id, startOf(issuedDay) + 3_600_000L, issuedDay - 30, issuedDay - 1, day(due),
                Math.round(amount * 100), amount));
        return this;
    }

    CustomerFixture payment(String id, String billId, String paid, double amount) {
        ledger.addPayment(new LedgerPayment(id, billId, Math.round(amount * 100), startOf(day(paid)) + 7_200_000L));
        return this;
    }

    /** Monthly bills of {@code amount}, due 20 days after issue, each paid {@code lateDays} after due (negative: early). */
    CustomerFixture monthlyBills(String firstIssue, int months, double amount, int lateDays) {
        LocalDate issue = LocalDate.parse(firstIssue);
        for (int i = 0; i < months; i++) {
            String id = "B" + i;
            LocalDate due = issue.plusDays(20);
            bill(id, issue.toString(), due.toString(), amount);
            payment("P" + i, id, due.plusDays(lateDays).toString(), amount);
            issue = issue.plusMonths(1);
        }
        return this;
    }

    Evaluation evaluate(int day) {
        deliverReadingsThrough(day);
        Evaluation e = model.evaluate("C1", consumption, ledger, profiles, memory, dayEnd(day));
        evaluations.add(e);
        return e;
    }

    /** Evaluates every day in [from, to] and returns the alerts raised. */
    List<SegmentAlert> evaluateDaily(String from, String to) {
        List<SegmentAlert> alerts = new ArrayList<>();
        for (int d = day(from); d <= day(to); d++) {
            Evaluation e = evaluate(d);
            if (e != null) {
                alerts.addAll(e.alerts());
            }
        }
        return alerts;
    }

    Evaluation last() {
        return evaluations.get(evaluations.size() - 1);
    }
}
