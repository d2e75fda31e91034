package io.gridtier.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code --segments} and {@code --outcomes}: what score-report and calibrate measure the model on. */
final class OutcomeInputs {
    @Option(names = "--segments", required = true, paramLabel = "segments.jsonl",
            description = "The segments a replay with the model (--model) wrote (gridtier replay).")
    Path segments;

    @Option(names = "--outcomes", required = true, paramLabel = "outcomes.csv",
            description = "What happened to the customers, and when (gridtier generate writes one).")
    Path outcomes;
}
