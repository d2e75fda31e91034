package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.kafka.TopicSetup;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.model.ModelTimeline;
import io.gridtier.model.SegmentationModel;
import io.gridtier.modelops.ModelUpdatesLog;
import io.gridtier.schema.ModelUpdate;
import org.apache.kafka.clients.producer.RecordMetadata;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Properties;

/**
 * {@code gridtier model push|list}: model versions pushed to the running job (the model-updates topic) or to a
 * file a replay takes ({@code replay --model-updates}), and the versions in force.
 */
@Command(name = "model", description = {"Push a model version to the running job; list them.",
    "push FILE [--from DATE] pushes (no redeploy, no restart); list shows every version and its time."})
final class ModelCommand extends PrintingCommand {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(out);
        return CommandLine.ExitCode.USAGE;
    }

    @Command(name = "push", description = {"Validate a model file and push it as a new version.",
        "To the job's model-updates topic, or with --to-file to a JSON-lines file for gridtier replay --model-updates.",
        "Refused before sending when the job would refuse it (an invalid model, a version taken by other content)."})
    int push(@Parameters(paramLabel = "FILE", description = "The model YAML (like config/model/gridtier-model-v1.yaml).") Path file,
             @Option(names = "--from", paramLabel = "DATE", defaultValue = "now", description = "Event time from which "
                     + "the version applies: now (default), a date (its start, in the configured zone) or an ISO "
                     + "date-time with offset. Evaluations already made stay as they were.") String from,
             @Option(names = "--by", paramLabel = "NAME", description = "Who pushes (default: $USER).") String by,
             @Option(names = "--to-file", paramLabel = "FILE.jsonl", description = "Append the update to this file "
                     + "instead of sending it.") Path toFile,
             @Mixin JobConfigOptions job) throws Exception {
        JobConfig config = job.load();
        if (!Files.isRegularFile(file)) {
            throw new InvalidConfigException("model file " + file + " does not exist or is not a file");
        }
        String pushedBy = by != null ? by : System.getProperty("user.name", "unknown");
        ModelUpdate update = ModelUpdatesLog.updateOf(Files.readString(file), "model file " + file,
                effectiveFrom(from, config.zone()), pushedBy, config.zone());
        String what = "model " + update.getVersion() + " (" + update.getChecksum() + "), in force from "
                + update.getEffectiveFrom().atZone(config.zone()).toOffsetDateTime();
        if (toFile != null) {
            Files.writeString(toFile, new JsonLineCodec(config.zone()).encode(update) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            out.println("appended " + what + " to " + toFile + " (gridtier replay --model-updates " + toFile + ")");
            return 0;
        }
        Properties client = KafkaClientProperties.of(config);
        TopicSetup.ensure(config, client);
        ModelTimeline.Offer offer = ModelUpdatesLog.read(config, client, GridTier.model(config)).timeline().offer(update);
        switch (offer.outcome()) {
            case REFUSED -> {
                err.println("gridtier model push: not pushed, the job would refuse it: " + offer.detail());
                return 1;
            }
            case ALREADY_KNOWN -> {
                out.println("nothing pushed: " + offer.detail());
                return 0;
            }
            default -> {
                RecordMetadata at = ModelUpdatesLog.push(config, client, update);
                out.println("pushed " + what + " to " + at.topic() + " (partition " + at.partition() + ", offset "
                        + at.offset() + ") on " + config.kafkaBootstrapServers());
                out.println("the job applies it to every evaluation from then on; gridtier model list shows it");
                return 0;
            }
        }
    }

    @Command(name = "list", description = {"List the model versions the job holds, as it judges the model-updates topic.",
        "The start-up model (the configuration's), then every record of the topic with its outcome."})
    int list(@Mixin JobConfigOptions job) {
        JobConfig config = job.load();
        SegmentationModel initial = GridTier.model(config);
        ModelUpdatesLog.Reading reading = ModelUpdatesLog.read(config, KafkaClientProperties.of(config), initial);
        ZoneId zone = config.zone();
        out.println("start-up model " + initial.version() + " (" + config.modelFile() + "), in force from the beginning");
        out.println("topic " + config.modelUpdatesTopic() + " on " + config.kafkaBootstrapServers() + ": "
                + reading.records().size() + " record(s)");
        if (!reading.records().isEmpty()) {
            out.printf("%-7s %-28s %-26s %-14s %-26s %s%n", "offset", "version", "in force from", "pushed by", "pushed at",
                    "outcome");
        }
        for (ModelUpdatesLog.Judged j : reading.records()) {
            ModelUpdate u = j.update();
            out.printf("%-7d %-28s %-26s %-14s %-26s %s%n", j.offset(), u == null ? "-" : u.getVersion(),
                    u == null ? "-" : u.getEffectiveFrom().atZone(zone).toOffsetDateTime(),
                    u == null ? "-" : u.getPushedBy(), u == null ? "-" : u.getPushedAt().atZone(zone).toOffsetDateTime(),
                    j.outcome() + (j.outcome().equals("accepted") ? "" : ": " + j.detail().lines().findFirst().orElse("")));
        }
        Instant now = Instant.now();
        out.println("in force now (" + now.atZone(zone).toOffsetDateTime() + "): " + reading.timeline().at(now.toEpochMilli()).version());
        return 0;
    }

    static Instant effectiveFrom(String from, ZoneId zone) {
        if (from.equals("now")) {
            return Instant.now();
        }
        try {
            return LocalDate.parse(from).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException notADate) {
            try {
                return OffsetDateTime.parse(from).toInstant();
            } catch (DateTimeParseException e) {
                throw new InvalidConfigException("--from: '" + from
                        + "' is not now, a date (2025-03-01) or a date-time with offset (2025-03-01T00:00+08:00)");
            }
        }
    }
}
