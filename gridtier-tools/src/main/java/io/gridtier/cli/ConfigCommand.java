package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code gridtier config}: validates a configuration and its model, and prints every key in force. */
@Command(name = "config", description = {"Validate a configuration and print every key.",
    "Loads the configuration and its model and prints every key in force.",
    "A wrong key or value exits 3 with a message that names it."})
final class ConfigCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Option(names = "--reference", description = {"Print the reference of every key (Markdown) instead:",
        "bin/gridtier config --reference > docs/configuration.md"})
    private boolean reference;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (reference) {
            out.print(JobConfig.reference());
            out.flush();
            return 0;
        }
        JobConfig config = job.load();
        SegmentationModel model = GridTier.model(config);
        out.print(config.describe());
        out.println("model version: " + model.version() + " (" + config.modelFile() + ")");
        return 0;
    }
}
