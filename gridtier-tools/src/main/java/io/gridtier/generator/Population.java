package io.gridtier.generator;

import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.PaymentChannel;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntPredicate;

/**
 * Writes the script of every synthetic customer: category in utility proportions, size, usage pattern,
 * tenure, contract, payment habit and trajectory (grower, churner, defaulter or stable).
 */
final class Population {
    static final CustomerCategory[] CATEGORIES = {
        CustomerCategory.LARGE_INDUSTRIAL, CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL,
        CustomerCategory.RESIDENTIAL, CustomerCategory.AGRICULTURAL};
    /** Shares by count, as in a provincial utility's customer base. */
    static final double[] CATEGORY_SHARES = {0.015, 0.18, 0.78, 0.025};
    static final double NEW_CONNECTION_SHARE = 0.02;
    static final double GROWER_SHARE_OF_INDUSTRY_AND_COMMERCE = 0.03;
    static final double CHURNER_SHARE = 0.04;
    static final double DEFAULTER_SHARE = 0.02;

    /** Key-account floors of the engine's model (config/model) when this was written. */
    static final double GIC_KEY_ACCOUNT_KWH = 1.5e6;
    static final double LI_KEY_ACCOUNT_KWH = 3.0e6;
    /**
     * Customers not scripted to grow are kept this factor clear of a floor, so that ordinary drift and noise
     * cannot carry them across it and the only true key-account entries are the growers'.
     */
    static final double FLOOR_CLEARANCE = 1.25;

    /** Standard transformer sizes (kVA) a contract capacity is rounded up to. */
    private static final double[] STANDARD_KVA = {
        30, 50, 63, 80, 100, 125, 160, 200, 250, 315, 400, 500, 630, 800, 1000, 1250, 1600, 2000, 2500, 3150,
        4000, 5000, 6300, 8000, 10000, 12500, 16000, 20000, 25000, 31500, 40000, 50000, 63000, 80000};

    private static final String[] CONTINUOUS_INDUSTRIES = {
        "Steel", "Chemicals", "Cement", "Paper", "Non-ferrous metals", "Glass", "Data centre"};
    private static final String[] SHIFT_INDUSTRIES = {
        "Machinery", "Textiles", "Electronics", "Plastics", "Auto parts", "Food processing", "Printing"};
    private static final String[] OFFICE_INDUSTRIES = {"Office building", "School", "Government", "Hospital"};
    private static final String[] RETAIL_INDUSTRIES = {"Retail", "Supermarket", "Restaurant", "Hotel"};

    private final GeneratorOptions options;
    private final LocalDate start;
    private final LocalDate end;
    private final long totalDays;

    private Population(GeneratorOptions options) {
        this.options = options;
        this.start = options.start();
        this.end = options.end();
        this.totalDays = ChronoUnit.DAYS.between(start, end);
    }

    /** The customers, in customerId order. */
    static List<SyntheticCustomer> build(GeneratorOptions options, SplittableRandom master) {
        return new Population(options).build(master);
    }

    private List<SyntheticCustomer> build(SplittableRandom master) {
        int n = options.customers();
        CustomerCategory[] categories = categoriesInProportion(n, master);

        // Quotas rather than coin flips: a small population still gets growers, churners and defaulters.
        Integer[] order = shuffledIndexes(n, master);
        boolean[] newConnection = new boolean[n];
        int newConnections = (int) Math.round(n * NEW_CONNECTION_SHARE);
        for (int k = 0; k < newConnections; k++) {
            newConnection[order[k]] = true;
        }
        Trajectory[] trajectories = new Trajectory[n];
        Arrays.fill(trajectories, Trajectory.STABLE);
        int industryAndCommerce = 0;
        for (CustomerCategory c : categories) {
            if (isIndustryOrCommerce(c)) {
                industryAndCommerce++;
            }
        }
        assign(trajectories, Trajectory.GROWER, (int) Math.round(industryAndCommerce * GROWER_SHARE_OF_INDUSTRY_AND_COMMERCE),
                shuffledIndexes(n, master), i -> !newConnection[i] && isIndustryOrCommerce(categories[i]));
        Integer[] churnOrder = shuffledIndexes(n, master);
        assign(trajectories, Trajectory.CHURNER, (int) Math.round(n * CHURNER_SHARE), churnOrder,
                i -> !newConnection[i]);
        assign(trajectories, Trajectory.DEFAULTER, (int) Math.round(n * DEFAULTER_SHARE), churnOrder,
                i -> !newConnection[i]);

        List<SyntheticCustomer> customers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            customers.add(script(i, master.split(), categories[i], newConnection[i], trajectories[i]));
        }
        assignIntervalMeters(customers);
        return customers;
    }

    private static CustomerCategory[] categoriesInProportion(int n, SplittableRandom rng) {
        int[] counts = new int[CATEGORIES.length];
        double[] remainders = new double[CATEGORIES.length];
        int assigned = 0;
        for (int k = 0; k < CATEGORIES.length; k++) {
            double exact = n * CATEGORY_SHARES[k];
            counts[k] = (int) Math.floor(exact);
            remainders[k] = exact - counts[k];
            assigned += counts[k];
        }
        while (assigned < n) {
            int best = 0;
            for (int k = 1; k < CATEGORIES.length; k++) {
                if (remainders[k] > remainders[best]) {
                    best = k;
                }
            }
            counts[best]++;
            remainders[best] = -1;
            assigned++;
        }
        CustomerCategory[] categories = new CustomerCategory[n];
        int i = 0;
        for (int k = 0; k < CATEGORIES.length; k++) {
            for (int j = 0; j < counts[k]; j++) {
                categories[i++] = CATEGORIES[k];
            }
        }
        RandomDraws.shuffle(rng, categories);
        return categories;
    }

    private static Integer[] shuffledIndexes(int n, SplittableRandom rng) {
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        RandomDraws.shuffle(rng, order);
        return order;
    }

    private static void assign(Trajectory[] trajectories, Trajectory trajectory, int quota, Integer[] order,
                               IntPredicate eligible) {
        int given = 0;
        for (int k = 0; k < order.length && given < quota; k++) {
            int i = order[k];
            if (trajectories[i] == Trajectory.STABLE && eligible.test(i)) {
                trajectories[i] = trajectory;
                given++;
            }
        }
    }

    static boolean isIndustryOrCommerce(CustomerCategory category) {
        return category == CustomerCategory.LARGE_INDUSTRIAL
                || category == CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL;
    }

    private SyntheticCustomer script(int ordinal, SplittableRandom r, CustomerCategory category, boolean isNew,
                                     Trajectory trajectory) {
        UsagePattern pattern;
        String industry;
        switch (category) {
            case LARGE_INDUSTRIAL:
                pattern = RandomDraws.chance(r, 0.55) ? UsagePattern.CONTINUOUS_PROCESS : UsagePattern.SHIFT_WORK;
                industry = pattern == UsagePattern.CONTINUOUS_PROCESS ? any(r, CONTINUOUS_INDUSTRIES) : any(r, SHIFT_INDUSTRIES);
                break;
            case GENERAL_INDUSTRIAL_COMMERCIAL:
                pattern = RandomDraws.pick(r, new UsagePattern[] {UsagePattern.SHIFT_WORK, UsagePattern.OFFICE,
                    UsagePattern.RETAIL}, new double[] {0.35, 0.30, 0.35});
                industry = pattern == UsagePattern.SHIFT_WORK ? any(r, SHIFT_INDUSTRIES)
                        : pattern == UsagePattern.OFFICE ? any(r, OFFICE_INDUSTRIES) : any(r, RETAIL_INDUSTRIES);
                break;
            case AGRICULTURAL:
                pattern = RandomDraws.chance(r, 0.7) ? UsagePattern.IRRIGATION : UsagePattern.AQUACULTURE;
                industry = pattern == UsagePattern.IRRIGATION ? "Irrigation"
                        : RandomDraws.chance(r, 0.5) ? "Aquaculture" : "Greenhouse";
                break;
            default:
                pattern = UsagePattern.HOUSEHOLD;
                industry = null;
        }

        LocalDate connectDate = isNew ? newConnectionDay(r) : start;
        LocalDate accountOpened = isNew ? connectDate : start.minusDays(RandomDraws.uniformInt(r, 0, 25 * 365));
        LocalDate changeStart = switch (trajectory) {
            case GROWER -> growthStart(r);
            case CHURNER -> within(r, start.plusMonths(12), end.minusDays(60), 2, 14);
            case DEFAULTER -> within(r, start.plusMonths(10), end.minusDays(150), 3, 30);
            default -> null;
        };
        double annualKwh = trajectory == Trajectory.GROWER ? growerStartKwh(r, category) : annualKwh(r, category);

        SyntheticCustomer c = new SyntheticCustomer(ordinal, r, category, pattern, industry, accountOpened,
                connectDate, isNew, annualKwh, trajectory, changeStart);
        c.annualDrift = trajectory == Trajectory.GROWER ? 0.0
                : Math.max(-0.05, Math.min(0.06, 0.01 + 0.025 * RandomDraws.gaussian(r)));

        double loadFactor = switch (category) {
            case LARGE_INDUSTRIAL -> RandomDraws.uniform(r, 0.35, 0.70);
            case GENERAL_INDUSTRIAL_COMMERCIAL -> RandomDraws.uniform(r, 0.20, 0.45);
            case AGRICULTURAL -> RandomDraws.uniform(r, 0.10, 0.25);
            default -> 0;
        };
        if (category != CustomerCategory.RESIDENTIAL) {
            c.contractCapacityKva = capacityFor(annualKwh, loadFactor,
                    category == CustomerCategory.LARGE_INDUSTRIAL ? 315 : 30);
        }
        c.voltageKv = voltageFor(category, c.contractCapacityKva);
        c.profileChanges.add(new SyntheticCustomer.ProfileChange(connectDate, isNew ? businessSecond(r) : 0,
                null, null, null, null));

        if (isIndustryOrCommerce(category)) {
            c.contractEnd = isNew ? connectDate.plusYears(3) : start.plusDays(RandomDraws.uniformInt(r, 60, 1826));
        }
        switch (trajectory) {
            case GROWER -> scriptGrowth(c, r, loadFactor);
            case CHURNER -> scriptChurn(c, r);
            case DEFAULTER -> c.tokenPaymentDay = RandomDraws.chance(r, 0.3)
                    ? changeStart.plusDays(RandomDraws.uniformInt(r, 40, 80)) : null;
            default -> { }
        }
        // Contracts that run out during the period are renewed a few weeks before they end, except a churner's.
        if (c.contractEnd != null && c.contractEnd.isBefore(end) && trajectory != Trajectory.CHURNER) {
            LocalDate renewal = c.contractEnd.minusDays(RandomDraws.uniformInt(r, 10, 60));
            if (!renewal.isAfter(connectDate)) {
                renewal = connectDate.plusDays(1);
            }
            c.profileChanges.add(new SyntheticCustomer.ProfileChange(renewal, businessSecond(r), null,
                    c.contractEnd.plusYears(3), null, null));
        }
        scriptPayments(c, r);
        c.profileChanges.sort(Comparator.comparing(SyntheticCustomer.ProfileChange::day)
                .thenComparingInt(SyntheticCustomer.ProfileChange::secondOfDay));
        return c;
    }

    /**
     * A grower starts below key-account size and, from about a year before the end, grows along an S-curve
     * to a size that makes its trailing twelve months 2–8 GWh, at least 2.5 times its first year; it asks for
     * more contract capacity soon after its growth starts.
     */
    private void scriptGrowth(SyntheticCustomer c, SplittableRandom r, double loadFactor) {
        double start12 = c.baseAnnualKwh;
        double target = c.category == CustomerCategory.LARGE_INDUSTRIAL
                ? RandomDraws.logUniform(r, 4.5e6, 7.0e6)
                : RandomDraws.logUniform(r, Math.max(2.0e6, 2.5 * start12), 6.0e6);
        c.growthRampDays = RandomDraws.uniformInt(r, 120, 240);
        LocalDate windowStart = end.minusDays(365).isBefore(start) ? start : end.minusDays(365);
        long windowDays = ChronoUnit.DAYS.between(windowStart, end);
        double rampDays = 0;
        for (LocalDate d = windowStart; d.isBefore(end); d = d.plusDays(1)) {
            if (!d.isBefore(c.changeStart)) {
                rampDays += SyntheticCustomer.growthShare(ChronoUnit.DAYS.between(c.changeStart, d), c.growthRampDays);
            }
        }
        // trailing kWh = base/365 * (windowDays + (F - 1) * rampDays); solve for F so it hits the target
        double factor = 1.0 + (target / start12 - 1.0) * windowDays / Math.max(1.0, rampDays);
        c.growthFactor = Math.max(1.5, Math.min(15.0, factor));
        LocalDate capacityDay = c.changeStart.plusDays(RandomDraws.uniformInt(r, 0, 45));
        if (capacityDay.isBefore(end)) {
            double kva = capacityFor(start12 * c.growthFactor, loadFactor, 315);
            if (kva > c.contractCapacityKva) {
                Double voltage = c.voltageKv < 10.0 && kva >= 315 ? 10.0 : null;
                c.profileChanges.add(new SyntheticCustomer.ProfileChange(capacityDay, businessSecond(r), null, null,
                        kva, voltage));
            }
        }
    }

    /**
     * A churner's consumption drops to 5–40% of its seasonal level within three weeks, or its meter goes
     * silent; payments often deteriorate; some are suspended and closed (C&I ones when their contract,
     * which is not renewed, runs out).
     */
    private void scriptChurn(SyntheticCustomer c, SplittableRandom r) {
        c.meterGoesSilent = RandomDraws.chance(r, 0.35);
        c.churnLevel = c.meterGoesSilent ? 0.0 : RandomDraws.uniform(r, 0.05, 0.40);
        c.churnRampDays = c.meterGoesSilent ? 0 : RandomDraws.uniformInt(r, 0, 21);
        c.paymentsDeteriorate = RandomDraws.chance(r, 0.6);
        if (c.contractEnd != null) {
            c.contractEnd = c.changeStart.plusDays(RandomDraws.uniformInt(r, 20, 120));
        }
        if (RandomDraws.chance(r, 0.4)) {
            LocalDate close = c.contractEnd != null ? c.contractEnd
                    : c.changeStart.plusDays(RandomDraws.uniformInt(r, 45, 150));
            if (close.isBefore(end)) {
                c.closeDate = close;
                long span = ChronoUnit.DAYS.between(c.changeStart, close);
                if (span >= 15 && RandomDraws.chance(r, 0.5)) {
                    c.suspendDate = c.changeStart.plusDays(RandomDraws.uniformInt(r, 10, (int) span - 5));
                    c.profileChanges.add(new SyntheticCustomer.ProfileChange(c.suspendDate, businessSecond(r),
                            CustomerStatus.SUSPENDED, null, null, null));
                }
                c.profileChanges.add(new SyntheticCustomer.ProfileChange(close, businessSecond(r),
                        CustomerStatus.CLOSED, null, null, null));
            }
        }
    }

    private static void scriptPayments(SyntheticCustomer c, SplittableRandom r) {
        PaymentHabit[] habits = PaymentHabit.values();
        c.habit = switch (c.trajectory) {
            // a grower that becomes a key account is a good payer; its credit should not muddy the picture
            case GROWER -> RandomDraws.chance(r, 0.35) ? PaymentHabit.AUTO_DEBIT : PaymentHabit.ON_TIME;
            case DEFAULTER -> RandomDraws.chance(r, 0.6) ? PaymentHabit.ON_TIME : PaymentHabit.HABITUALLY_LATE;
            default -> RandomDraws.pick(r, habits, new double[] {0.25, 0.47, 0.13, 0.07, 0.08});
        };
        PaymentChannel[] channels = {PaymentChannel.ONLINE, PaymentChannel.BANK, PaymentChannel.COUNTER,
            PaymentChannel.OTHER};
        double[] weights = switch (c.category) {
            case LARGE_INDUSTRIAL, GENERAL_INDUSTRIAL_COMMERCIAL -> new double[] {0.25, 0.68, 0.05, 0.02};
            case AGRICULTURAL -> new double[] {0.40, 0.20, 0.38, 0.02};
            default -> new double[] {0.62, 0.13, 0.15, 0.10};
        };
        c.usualChannel = c.habit == PaymentHabit.AUTO_DEBIT ? PaymentChannel.AUTO_DEBIT
                : RandomDraws.pick(r, channels, weights);
        c.namesBillShare = RandomDraws.pick(r, new Double[] {1.0, 0.7, 0.0}, new double[] {0.85, 0.10, 0.05});
        c.lateDaysMin = RandomDraws.uniformInt(r, 5, 15);
        c.lateDaysMax = Math.min(40, c.lateDaysMin + RandomDraws.uniformInt(r, 5, 25));
        c.bundleSize = RandomDraws.uniformInt(r, 2, 3);
        c.billingMonths = c.category == CustomerCategory.RESIDENTIAL && RandomDraws.chance(r, 0.4) ? 2 : 1;
        c.billIssueLagDays = RandomDraws.uniformInt(r, 1, 5);
    }

    /** The largest industrial and commercial customers get interval meters, as utilities roll them out. */
    private void assignIntervalMeters(List<SyntheticCustomer> customers) {
        List<SyntheticCustomer> candidates = new ArrayList<>();
        for (SyntheticCustomer c : customers) {
            c.intervalMinutes = options.intervalMinutes();
            if (isIndustryOrCommerce(c.category)) {
                candidates.add(c);
            }
        }
        int count = (int) Math.round(candidates.size() * options.hourlyShare());
        candidates.sort(Comparator.comparingDouble((SyntheticCustomer c) -> -c.baseAnnualKwh)
                .thenComparingInt(c -> c.ordinal));
        for (int k = 0; k < count; k++) {
            candidates.get(k).intervalMinutes = options.fineIntervalMinutes();
            candidates.get(k).intervalMeter = true;
        }
    }

    private double annualKwh(SplittableRandom r, CustomerCategory category) {
        while (true) {
            double kwh;
            switch (category) {
                case LARGE_INDUSTRIAL -> {
                    kwh = RandomDraws.lognormal(r, 6.0e6, 0.9);
                    if (kwh < 1.0e6 || kwh > 50e6 || nearFloor(kwh, LI_KEY_ACCOUNT_KWH)) {
                        continue;
                    }
                }
                case GENERAL_INDUSTRIAL_COMMERCIAL -> {
                    kwh = RandomDraws.lognormal(r, 150e3, 1.0);
                    if (kwh < 20e3 || kwh > 2.0e6 || nearFloor(kwh, GIC_KEY_ACCOUNT_KWH)) {
                        continue;
                    }
                }
                case AGRICULTURAL -> {
                    kwh = RandomDraws.lognormal(r, 30e3, 0.9);
                    if (kwh < 5e3 || kwh > 200e3) {
                        continue;
                    }
                }
                default -> {
                    kwh = RandomDraws.lognormal(r, 2.5e3, 0.35);
                    if (kwh < 1.5e3 || kwh > 8e3) {
                        continue;
                    }
                }
            }
            return kwh;
        }
    }

    private static boolean nearFloor(double kwh, double floor) {
        return kwh > floor / FLOOR_CLEARANCE && kwh < floor * FLOOR_CLEARANCE;
    }

    private static double growerStartKwh(SplittableRandom r, CustomerCategory category) {
        return category == CustomerCategory.LARGE_INDUSTRIAL
                ? RandomDraws.logUniform(r, 0.8e6, 1.2e6)
                : RandomDraws.logUniform(r, 0.5e6, 1.2e6);
    }

    /** Growth starts about twelve months before the end (month 13–14 of a 25-month run). */
    private LocalDate growthStart(SplittableRandom r) {
        LocalDate anchor = end.minusMonths(12);
        if (anchor.isBefore(start.plusDays(30))) {
            anchor = start.plusDays(totalDays / 2);
        }
        return clamp(anchor.plusDays(RandomDraws.uniformInt(r, -10, 30)));
    }

    private LocalDate newConnectionDay(SplittableRandom r) {
        return within(r, start.plusDays(30), end.minusDays(60), 4, 7);
    }

    /**
     * A day in [from, to]; in a run too short for that window, a day between {@code 1/fallbackFraction} of the
     * way through and {@code fallbackMargin} days before the end.
     */
    private LocalDate within(SplittableRandom r, LocalDate from, LocalDate to, int fallbackFraction, int fallbackMargin) {
        if (to.isBefore(from)) {
            from = start.plusDays(totalDays / fallbackFraction);
            to = end.minusDays(fallbackMargin);
            if (to.isBefore(from)) {
                to = from;
            }
        }
        return clamp(from.plusDays(RandomDraws.uniformLong(r, 0, ChronoUnit.DAYS.between(from, to))));
    }

    private LocalDate clamp(LocalDate day) {
        if (day.isBefore(start)) {
            return start;
        }
        LocalDate last = end.minusDays(1);
        return day.isAfter(last) ? last : day;
    }

    static double capacityFor(double annualKwh, double loadFactor, double minimumKva) {
        double needed = Math.max(minimumKva, annualKwh / 8760.0 / loadFactor / 0.9);
        for (double size : STANDARD_KVA) {
            if (size >= needed) {
                return size;
            }
        }
        return STANDARD_KVA[STANDARD_KVA.length - 1];
    }

    private static double voltageFor(CustomerCategory category, Double kva) {
        return switch (category) {
            case LARGE_INDUSTRIAL -> kva >= 31500 ? 110.0 : kva >= 8000 ? 35.0 : 10.0;
            case GENERAL_INDUSTRIAL_COMMERCIAL -> kva >= 315 ? 10.0 : 0.4;
            case AGRICULTURAL -> 0.4;
            default -> 0.22;
        };
    }

    /** A time in office hours, when master data is edited. */
    static int businessSecond(SplittableRandom r) {
        return RandomDraws.uniformInt(r, 9 * 3600, 17 * 3600);
    }

    private static String any(SplittableRandom r, String[] values) {
        return values[r.nextInt(values.length)];
    }
}
