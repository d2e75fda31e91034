package io.gridtier.cli;

import picocli.CommandLine.Command;

/**
 * {@code gridtier service}: only its help lives here. The agents' service runs on its own class path
 * (tier-service/), so bin/gridtier hands {@code service ...} to its main class before this JVM starts.
 */
@Command(name = "service", description = {"The agents' service (run|hash-token|produce-sample|bench).",
    "bin/gridtier hands 'gridtier service ...' to the agents' lookup service, "
        + "io.gridtier.tierservice.TierService, on its own class path (see tier-service/README.md). "
        + "Its commands and options: bin/gridtier service --help"})
final class ServiceCommand extends HandedOffCommand {
    @Override
    String runsIn() {
        return "on tier-service's class path";
    }
}
