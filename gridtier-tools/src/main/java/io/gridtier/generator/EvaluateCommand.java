package io.gridtier.generator;

import io.gridtier.cli.PrintingCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;

/** {@code gridtier evaluate}: the command line of {@link AlertEvaluation}. */
@Command(name = "evaluate", description = {"Score a replay's alerts against a ground truth.",
    "Precision and recall per customer against the generator's ground-truth.csv: KEY_ACCOUNT_ENTERED "
        + "against GROWER customers, CHURN_RISK_RAISED against CHURNER ones."})
public final class EvaluateCommand extends PrintingCommand {
    @Option(names = "--truth", required = true, paramLabel = "ground-truth.csv",
            description = "The generator's ground truth.")
    private Path truth;

    @Option(names = "--alerts", required = true, paramLabel = "alerts.jsonl", description = "The replay's alerts.")
    private Path alerts;

    @Option(names = "--from", paramLabel = "YYYY-MM-DD",
            description = "Ignore alerts before this local day (e.g. a warm-up year).")
    private LocalDate from;

    @Option(names = "--zone", paramLabel = "ZONE",
            description = "The utility's zone for local days (default ${DEFAULT-VALUE}).")
    private ZoneId zone = GeneratorOptions.DEFAULT_ZONE;

    /** 0 on success, 1 when a file cannot be read. */
    @Override
    public Integer call() {
        try {
            AlertEvaluation.Result result = AlertEvaluation.evaluate(truth, alerts, zone,
                    from == null ? null : from.atStartOfDay(zone).toInstant());
            result.print(out);
            return 0;
        } catch (IOException e) {
            err.println("gridtier evaluate: " + e.getMessage());
            return 1;
        }
    }
}
