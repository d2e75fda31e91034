package io.gridtier.bench;

import io.gridtier.model.InvalidConfigException;
import picocli.CommandLine.Option;

/**
 * {@code --customers}, {@code --days} and {@code --readings-per-day}: the synthetic workload of the
 * benches ({@link BenchCommand.Readings}), one profile then {@code days x perDay} readings per customer.
 */
final class WorkloadOptions {
    @Option(names = "--customers", paramLabel = "N", description = "Customers of the workload (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--days", paramLabel = "D", description = "Days of readings per customer (default ${DEFAULT-VALUE}).")
    int days;

    @Option(names = "--readings-per-day", paramLabel = "24|96|1440",
            description = "Readings per customer and day; must divide 1440 minutes (default ${DEFAULT-VALUE}).")
    int perDay = 24;

    @Option(names = "--utility", description = "A utility's month: 30 days of 15-minute readings (96 a day) and a "
            + "monthly bill and payment per customer; sets --days 30 --readings-per-day 96.")
    boolean utility;

    /** This bench's defaults. */
    WorkloadOptions(int customers, int days) {
        this.customers = customers;
        this.days = days;
    }

    /** Fails, naming the option, unless every reading interval is a whole number of minutes and the sizes are positive. */
    void validate() {
        if (utility) {
            days = 30;
            perDay = 96;
        }
        if (perDay <= 0 || 24 * 60 % perDay != 0) {
            throw new InvalidConfigException("--readings-per-day must divide 1440 minutes, is " + perDay);
        }
        if (customers <= 0 || days <= 0) {
            throw new InvalidConfigException("--customers and --days must be above 0, are " + customers + " and " + days);
        }
    }

    /** Input records: one profile per customer, then the readings. */
    long events() {
        return (long) customers * (1 + (long) days * perDay);
    }

    /** "N customers x (1 profile + D days x R readings) = E", for the first line of a bench. */
    String describe() {
        return String.format(java.util.Locale.ROOT, "%,d customers x (1 profile + %d days x %d readings%s) = %,d",
                customers, days, perDay, utility ? ", of which a bill and a payment a month" : "", events());
    }
}
