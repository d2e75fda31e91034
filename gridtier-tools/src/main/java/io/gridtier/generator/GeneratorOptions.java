package io.gridtier.generator;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;

/**
 * What {@link PopulationGenerator} generates: how many customers, from which seed, over which months, in
 * which zone and at which reading intervals. The same options give the same output, byte for byte.
 *
 * @param customers           number of customers (1 to 10,000,000)
 * @param seed                seed of every random draw
 * @param start               first local day of the simulated period
 * @param months              length of the simulated period; 25 lets a year be compared with the year before
 * @param zone                the utility's zone: local days, billing dates and the offset of timestamps
 * @param intervalMinutes     reading interval of ordinary meters: 1440 (daily), 60 or 15
 * @param hourlyShare         share (0–1) of the industrial and commercial customers, largest first, whose
 *                            meters are read at {@code fineIntervalMinutes}
 * @param fineIntervalMinutes interval of those interval meters: 60 or 15
 */
public record GeneratorOptions(int customers, long seed, LocalDate start, int months, ZoneId zone,
                               int intervalMinutes, double hourlyShare, int fineIntervalMinutes) {

    public static final int DEFAULT_CUSTOMERS = 2000;
    public static final long DEFAULT_SEED = 42L;
    public static final LocalDate DEFAULT_START = LocalDate.of(2024, 1, 1);
    public static final int DEFAULT_MONTHS = 25;
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    public static final int DAILY = 1440;

    static final int MAX_CUSTOMERS = 10_000_000;
    static final int MAX_MONTHS = 240;
    static final List<Integer> READING_INTERVALS = List.of(1440, 60, 15);
    static final List<Integer> FINE_INTERVALS = List.of(60, 15);

    public GeneratorOptions {
        Objects.requireNonNull(start, "start date");
        Objects.requireNonNull(zone, "zone");
        if (customers < 1 || customers > MAX_CUSTOMERS) {
            throw new IllegalArgumentException(
                    "customers must be between 1 and " + MAX_CUSTOMERS + ", was " + customers);
        }
        if (months < 1 || months > MAX_MONTHS) {
            throw new IllegalArgumentException("months must be between 1 and " + MAX_MONTHS + ", was " + months);
        }
        if (!READING_INTERVALS.contains(intervalMinutes)) {
            throw new IllegalArgumentException(
                    "reading interval must be one of " + READING_INTERVALS + " minutes, was " + intervalMinutes);
        }
        if (!(hourlyShare >= 0.0 && hourlyShare <= 1.0)) {
            throw new IllegalArgumentException("hourly share must be between 0 and 1, was " + hourlyShare);
        }
        if (!FINE_INTERVALS.contains(fineIntervalMinutes)) {
            throw new IllegalArgumentException("interval of interval meters must be one of " + FINE_INTERVALS
                    + " minutes, was " + fineIntervalMinutes);
        }
    }

    /** 2,000 customers, seed 42, 25 months from 2024-01-01, Asia/Shanghai, daily readings, no interval meters. */
    public static GeneratorOptions defaults() {
        return new GeneratorOptions(DEFAULT_CUSTOMERS, DEFAULT_SEED, DEFAULT_START, DEFAULT_MONTHS, DEFAULT_ZONE,
                DAILY, 0.0, 60);
    }

    public GeneratorOptions withCustomers(int value) {
        return new GeneratorOptions(value, seed, start, months, zone, intervalMinutes, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withSeed(long value) {
        return new GeneratorOptions(customers, value, start, months, zone, intervalMinutes, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withStart(LocalDate value) {
        return new GeneratorOptions(customers, seed, value, months, zone, intervalMinutes, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withMonths(int value) {
        return new GeneratorOptions(customers, seed, start, value, zone, intervalMinutes, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withZone(ZoneId value) {
        return new GeneratorOptions(customers, seed, start, months, value, intervalMinutes, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withIntervalMinutes(int value) {
        return new GeneratorOptions(customers, seed, start, months, zone, value, hourlyShare, fineIntervalMinutes);
    }

    public GeneratorOptions withHourlyShare(double value) {
        return new GeneratorOptions(customers, seed, start, months, zone, intervalMinutes, value, fineIntervalMinutes);
    }

    public GeneratorOptions withFineIntervalMinutes(int value) {
        return new GeneratorOptions(customers, seed, start, months, zone, intervalMinutes, hourlyShare, value);
    }

    /** The first local day after the simulated period. */
    public LocalDate end() {
        return start.plusMonths(months);
    }
}
