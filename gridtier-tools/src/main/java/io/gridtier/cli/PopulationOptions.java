package io.gridtier.cli;

import io.gridtier.generator.GeneratorOptions;
import picocli.CommandLine.Option;

/** {@code --customers}, {@code --months} and {@code --seed}: the generated population a demo runs on. */
public final class PopulationOptions {
    @Option(names = "--customers", paramLabel = "N", description = "Customers to generate (default ${DEFAULT-VALUE}).")
    int customers;

    @Option(names = "--months", paramLabel = "M", description = "Months simulated (default ${DEFAULT-VALUE}).")
    int months = GeneratorOptions.DEFAULT_MONTHS;

    @Option(names = "--seed", paramLabel = "S", description = "The generator's random seed (default ${DEFAULT-VALUE}).")
    int seed = 42;

    /** @param customers this command's default population size */
    PopulationOptions(int customers) {
        this.customers = customers;
    }

    /** This command's default population size and length. */
    public PopulationOptions(int customers, int months) {
        this.customers = customers;
        this.months = months;
    }

    /** The generator's options for this population; an out-of-range value fails with the generator's message. */
    public GeneratorOptions generator() {
        return GeneratorOptions.defaults().withCustomers(customers).withSeed(seed).withMonths(months);
    }

    /** "N customers, M months (seed S)", for progress lines. */
    public String describe() {
        return customers + " customers, " + months + " months (seed " + seed + ")";
    }
}
