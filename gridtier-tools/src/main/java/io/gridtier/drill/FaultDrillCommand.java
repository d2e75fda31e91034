package io.gridtier.drill;

import io.gridtier.cli.PrintingCommand;
import io.gridtier.cli.PopulationOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** {@code gridtier fault-drill}: the command line of {@link FaultDrill}. */
@Command(name = "fault-drill", description = {"Kill processes under a live job and check nothing was lost.",
    "A generated population through the project's broker into the shaded job on a standalone cluster; a poison "
        + "record, kill -9 of a TaskManager (mid-stream and during a checkpoint), a broker restart and kill -9 of "
        + "the JobManager with a cluster restart; then the outputs against a failure-free replay. Exit 0 when "
        + "every check holds."})
public final class FaultDrillCommand extends PrintingCommand {
    @Mixin
    private PopulationOptions population = new PopulationOptions(300, 13);

    @Option(names = "--speed", paramLabel = "DAYS_PER_SECOND",
            description = "Simulated days streamed per wall-clock second (default ${DEFAULT-VALUE}).")
    private double speed = 2.5;

    @Option(names = "--checkpoint", paramLabel = "DURATION",
            description = "The job's checkpoint interval, ISO-8601 (default ${DEFAULT-VALUE}).")
    private Duration checkpoint = Duration.ofSeconds(2);

    @Option(names = "--work", paramLabel = "DIR", description = "The drill's files, emptied first (default work/fault-drill).")
    private Path work;

    @Option(names = "--jar", paramLabel = "FILE",
            description = "The shaded job jar (default flink-jobs/target/gridtier-flink-jobs-*-shaded.jar).")
    private Path jar;

    @Option(names = "--without-faults", description = "The same run with no fault injected (the control).")
    private boolean withoutFaults;

    @Override
    public Integer call() throws Exception {
        Path home = Path.of(System.getProperty("gridtier.home", ".")).toAbsolutePath().normalize();
        Path dir = work != null ? work.toAbsolutePath().normalize() : home.resolve("work/fault-drill");
        Path jobJar = jar != null ? jar.toAbsolutePath() : home.resolve("flink-jobs/target/gridtier-flink-jobs-0.1.0-SNAPSHOT-shaded.jar");
        FaultDrill.Settings settings = new FaultDrill.Settings(home, dir, jobJar, population.generator(), speed, checkpoint, !withoutFaults);
        return new FaultDrill(settings, out).run() ? 0 : 1;
    }
}
