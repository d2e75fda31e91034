package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.evaluation.ChurnCalibration;
import io.gridtier.evaluation.ChurnFactorRow;
import io.gridtier.evaluation.ModelFileEdit;
import io.gridtier.evaluation.Outcome;
import io.gridtier.evaluation.SegmentHistory;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** {@code gridtier calibrate}: fits the churn points ({@link ChurnCalibration}) and writes them as a new model version. */
@Command(name = "calibrate", description = {"Fit the churn scorecard's points to the customers' outcomes.",
    "L2-regularised logistic regression of CHURNED on each churn factor's activation in the segments; writes a new "
        + "model version with the fitted points and compares current and fitted points on held-out customers."})
final class CalibrateCommand extends PrintingCommand {
    @Mixin
    private OutcomeInputs inputs = new OutcomeInputs();

    @Option(names = "--out", required = true, paramLabel = "NEW.yaml", description = "The new model file to write.")
    private Path newModel;

    @Option(names = "--holdout", paramLabel = "SHARE", defaultValue = "0.3",
            description = "Share of customers held out of the fit to compare on (default ${DEFAULT-VALUE}).")
    private double holdout;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "1",
            description = "Seed of the hold-out draw (default ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--l2", paramLabel = "LAMBDA", defaultValue = "0.001",
            description = "L2 penalty on the weights, against the mean log-loss (default ${DEFAULT-VALUE}).")
    private double l2;

    @Option(names = "--total-points", paramLabel = "POINTS", defaultValue = "100",
            description = "What the fitted factors add up to when all are fully on (default ${DEFAULT-VALUE}).")
    private double totalPoints;

    @Option(names = "--model-version", paramLabel = "NAME",
            description = "Version of the new model (default: the current one's with -cal-YYYYMMDD).")
    private String version;

    @Mixin
    private JobConfigOptions job = new JobConfigOptions();

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        ChurnCalibration.Options options;
        try {
            options = new ChurnCalibration.Options(holdout, seed, l2, totalPoints);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        JobConfig config = job.load();
        Path modelFile = config.modelFile();
        ModelConfig model = GridTier.model(config).config();
        SegmentHistory history = SegmentHistory.read(inputs.segments, config.zone());
        TreeSet<String> versions = new TreeSet<>();
        history.byCustomer().values().forEach(list -> list.forEach(s -> versions.add(s.getModelVersion())));
        if (!versions.equals(new TreeSet<>(List.of(model.version())))) {
            // the activations are read as contribution / points: with another model's points they would be wrong
            err.println("gridtier calibrate: the segments were written by " + versions + ", not by " + model.version()
                    + " (" + modelFile + "); pass the model that wrote them with --model");
            return 1;
        }
        List<Outcome> rows = Outcome.read(inputs.outcomes);
        ChurnCalibration.Result result = ChurnCalibration.fit(history, rows, model, config.zone(), options);

        LocalDate today = LocalDate.now(config.zone());
        String newVersion = version != null ? version
                : model.version() + "-cal-" + today.format(DateTimeFormatter.BASIC_ISO_DATE);
        long churned = rows.stream().filter(o -> o.outcome() == Outcome.Kind.CHURNED).count();
        List<String> header = List.of(
                "Calibrated by `gridtier calibrate` on " + today + " from " + model.version() + " (" + modelFile.getFileName() + "):",
                "the churn points are fitted to CHURNED outcomes by L2-regularised logistic regression (l2 "
                        + ModelFileEdit.number(l2) + ", Commons Math",
                "conjugate gradient) on each factor's activation; points proportional to the weights, "
                        + ModelFileEdit.number(totalPoints) + " for all fitted factors fully on,",
                "a negative weight gives 0 points" + (result.clamped().isEmpty() ? "" : " (" + String.join(", ", result.clamped()) + ")")
                        + "; `closed` and every other section are the source model's.",
                result.notFitted().isEmpty() ? "Every churn factor was fitted."
                        : "Not fitted, source points kept: " + String.join(", ", result.notFitted())
                        + " (never switched on for a fitted customer, or 0 points in the source model).",
                String.format(Locale.ROOT, "Data: %s (%,d segments of %,d customers), %s (%,d CHURNED);",
                        inputs.segments.getFileName(), history.segments(), history.byCustomer().size(), inputs.outcomes.getFileName(), churned),
                String.format(Locale.ROOT, "%,d customers fitted (%,d churned), %,d held out (%,d churned), seed %d.",
                        result.trainRows(), result.trainChurned(), result.holdoutRows(), result.holdoutChurned(), seed),
                String.format(Locale.ROOT, "Held-out churn AUC: %s with the source points, %s with these.",
                        fmt(result.currentHoldoutAuc()), fmt(result.fittedHoldoutAuc())),
                "The tier thresholds are unchanged; the worked examples in the churn comments are the source model's.");
        String text = ModelFileEdit.withChurnPoints(Files.readString(modelFile, StandardCharsets.UTF_8),
                result.fittedPoints(), newVersion, header);

        Path parent = newModel.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path draft = parent.resolve(newModel.getFileName() + ".draft");
        Files.writeString(draft, text, StandardCharsets.UTF_8);
        try {
            // loaded exactly as the job loads its model at start-up
            SegmentationModel loaded = new SegmentationModel(ModelConfig.load(draft), config.zone());
            check(loaded.config(), newVersion, result.fittedPoints());
            Files.move(draft, newModel, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(draft);
        }

        out.println("Calibrating the churn points of " + model.version() + " on " + inputs.segments + " and " + inputs.outcomes);
        out.print(result.text());
        out.println("Wrote " + newModel + " (version " + newVersion + "), loaded and validated as the job loads its model.");
        return 0;
    }

    private static void check(ModelConfig loaded, String version, Map<String, Double> points) {
        if (!loaded.version().equals(version)) {
            throw new IllegalStateException("the written model has version " + loaded.version() + ", not " + version);
        }
        Map<String, Double> read = ChurnFactorRow.points(loaded.churn());
        if (!read.equals(points)) {
            throw new IllegalStateException("the written model's churn points are " + read + ", not " + points);
        }
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
    }
}
