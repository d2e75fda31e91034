package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code --config}, {@code --model} and {@code --set}: the job configuration a command runs with. */
final class JobConfigOptions {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Job configuration (default config/gridtier.yaml).")
    private Path config;

    @Option(names = "--model", paramLabel = "FILE",
            description = "Segmentation model (default: the configuration's).")
    private Path model;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Override one configuration key; repeatable (gridtier config lists them).")
    private List<String> sets = new ArrayList<>();

    /**
     * The same configuration as program arguments of {@code KafkaJob}'s main: {@code --config FILE} (absolute),
     * then {@code --set} for each of {@code first}, the user's --set and --model, in the order {@link #load} applies them.
     */
    List<String> programArguments(List<String> first) {
        List<String> args = new ArrayList<>(List.of("--config", file().toAbsolutePath().toString()));
        overrides(first).forEach(set -> args.addAll(List.of("--set", set)));
        return args;
    }

    /** {@code first}, then the user's --set, then --model: later ones win. */
    private List<String> overrides(List<String> first) {
        List<String> overrides = new ArrayList<>(first);
        overrides.addAll(sets);
        if (model != null) {
            overrides.add("model=" + model.toAbsolutePath());
        }
        return overrides;
    }

    private Path file() {
        return config != null ? config : GridTier.home().resolve("config/gridtier.yaml");
    }

    /** Loads the configuration with the user's --set (and --model) over it. */
    JobConfig load() {
        return load(List.of());
    }

    /** Loads the configuration with {@code first} over it, then the user's own --set (and --model), which win. */
    JobConfig load(List<String> first) {
        Path file = file();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("configuration file " + file + " does not exist");
        }
        return JobConfig.load(file, overrides(first), GridTier.home());
    }
}
