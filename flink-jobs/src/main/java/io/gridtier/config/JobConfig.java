package io.gridtier.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.model.InvalidConfigException;
import io.gridtier.schema.CustomerCategory;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The job's configuration: one immutable object built from a YAML file (config/gridtier.yaml) plus
 * {@code key=value} overrides, every key named, defaulted and checked. {@link #load} refuses unknown
 * keys and bad values with a message that says which key is wrong and what it should be.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The most readings.maxPerCustomerDay may be: a day's bucket (13 bytes a reading) is read and written per reading. */
    public static final int MAX_READINGS_PER_DAY = 20_000;
    /** The most validation.maxKwhPerHour may be: far below where a day's float totals would overflow. */
    private static final double MAX_PLAUSIBLE_KWH_PER_HOUR = 1e9;

    /** Scalar keys, their defaults and what they mean (shown in errors and `gridtier config`). */
    private static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        key("timeZone", "Asia/Shanghai", "the utility's local time zone (an IANA zone id)");
        key("model", "config/model/gridtier-model-v1.yaml", "the scoring model file");
        key("readings.correctionWindowDays", "7", "days a reading may be re-sent or corrected");
        key("readings.maxPerCustomerDay", "2000", "distinct readings a customer may have in one local day (at most "
                + MAX_READINGS_PER_DAY + "), which bounds a day's state and work; more are TOO_MANY_READINGS "
                + "(refused in the keyed operator, so their dead letter carries the reading re-encoded as a JSON line: "
                + "the original bytes do not cross the keyBy)");
        key("validation.futureTolerance", "PT1H", "how far past the wall clock an event may be dated (ISO-8601 duration)");
        key("validation.billingHorizonDays", "400", "bills and payments older than this are TOO_LATE");
        key("validation.maxKwhPerHour", "2000000", "a reading of more kWh than this per hour of its interval is "
                + "IMPLAUSIBLE_VALUE (one bound for every customer: readings are validated before the profile is known)");
        key("watermarks.maxOutOfOrderness", "PT6H", "event-time disorder tolerated (ISO-8601 duration)");
        key("watermarks.idleness", "PT1M", "a silent source split stops holding the watermark after this");
        key("retention.closedCustomerDays", "400", "days a closed customer's state is kept");
        key("testing.failOnceOnReadingId", "", "test-only (the fault drill): the segmenter throws on the reading with "
                + "this id in the job's first attempt, so the job restarts from its last checkpoint; empty: never");
        key("flink.parallelism", "2", "parallelism of the job");
        key("flink.managedMemory", "1g", "managed (RocksDB) memory of the local task manager");
        key("flink.checkpointInterval", "PT10S", "checkpoint interval (ISO-8601 duration)");
        key("flink.incrementalCheckpoints", "true", "incremental RocksDB checkpoints");
        key("flink.checkpointDir", "", "checkpoint storage URI; empty: a folder under the work dir");
        key("flink.metricsPort", "", "port (or range like 9249-9259) of Flink's Prometheus reporter in a local run "
                + "(run, demo); empty: no reporter (in a cluster the Helm chart configures it)");
        key("kafka.bootstrapServers", "127.0.0.1:9092", "Kafka brokers, host:port[,host:port...]");
        key("kafka.propertiesFile", "", "Kafka client settings file (security.protocol, sasl.*, ssl.*); "
                + "GRIDTIER_KAFKA_* environment variables add to it; empty: none");
        key("kafka.topics.meterReadings", "meter-readings", "input topic of MeterReading (Avro binary)");
        key("kafka.topics.customerProfiles", "customer-profiles", "input topic of CustomerProfile (Avro binary)");
        key("kafka.topics.billingEvents", "billing-events", "input topic of BillingEvent (Avro binary)");
        key("kafka.topics.customerSegments", "customer-segments", "output topic of CustomerSegment (compacted)");
        key("kafka.topics.segmentAlerts", "segment-alerts", "output topic of SegmentAlert");
        key("kafka.topics.deadLetters", "segmentation-dead-letters", "output topic of DeadLetter");
        key("kafka.topics.modelUpdates", "model-updates", "control topic of ModelUpdate (Avro binary): model versions "
                + "pushed at run time (gridtier model push); created with one partition, compacted");
        key("kafka.groupId", "gridtier-segmentation", "consumer group of the job (offsets committed at checkpoints)");
        key("kafka.transactionalIdPrefix", "gridtier-segmentation",
                "prefix of the sinks' transactional ids; unique per job on the Kafka cluster");
        key("kafka.transactionTimeout", "PT15M", "Kafka transaction timeout of the sinks: above the checkpoint "
                + "interval, at most the broker's transaction.max.timeout.ms (PT15M by default)");
        key("kafka.createTopics", "true", "create missing topics at start-up; false: only check that they exist");
        key("kafka.partitions", "6", "partitions of the topics the job creates");
        key("kafka.replicationFactor", "1", "replication factor of the topics the job creates (3 on a production cluster)");
    }

    private static void key(String name, String def, String doc) {
        KEYS.put(name, new String[] {def, doc});
    }

    private final Map<String, String> values;
    private final TariffCalendar tariffs;
    private final String baseDir;

    private JobConfig(Map<String, String> values, TariffCalendar tariffs, Path baseDir) {
        this.values = Map.copyOf(values);
        this.tariffs = tariffs;
        this.baseDir = baseDir.toString();
    }

    /**
     * Loads a configuration file and applies overrides ({@code key=value}).
     *
     * @param baseDir folder against which relative paths (the model file) are resolved
     */
    public static JobConfig load(Path file, List<String> overrides, Path baseDir) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        } catch (IOException e) {
            throw new InvalidConfigException("configuration " + file + " cannot be read: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new InvalidConfigException("configuration " + file + " must be a YAML mapping of keys");
        }
        Map<String, String> values = new TreeMap<>();
        KEYS.forEach((k, v) -> values.put(k, v[0]));
        List<String> problems = new ArrayList<>();
        Map<String, int[]> tariffs = new HashMap<>();
        Map<CustomerCategory, String> defaults = new EnumMap<>(CustomerCategory.class);
        flatten(root, "", values, tariffs, defaults, problems);
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                problems.add("override '" + o + "' must look like key=value");
                continue;
            }
            String k = o.substring(0, eq).trim();
            if (!KEYS.containsKey(k)) {
                problems.add("override of unknown key '" + k + "'; known keys: " + KEYS.keySet());
                continue;
            }
            values.put(k, o.substring(eq + 1).trim());
        }
        JobConfig config = new JobConfig(values, new TariffCalendar(tariffs, defaults), baseDir);
        config.check(problems, tariffs, defaults);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("configuration " + file + " is invalid:\n  - " + String.join("\n  - ", problems));
        }
        return config;
    }

    private static void flatten(JsonNode root, String prefix, Map<String, String> values, Map<String, int[]> tariffs,
                                Map<CustomerCategory, String> defaults, List<String> problems) {
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            JsonNode v = e.getValue();
            if (k.equals("tariffs")) {
                readTariffs(v, tariffs, problems);
            } else if (k.equals("defaultTariffs")) {
                readDefaults(v, defaults, problems);
            } else if (v.isObject()) {
                flatten(v, k, values, tariffs, defaults, problems);
            } else if (KEYS.containsKey(k)) {
                values.put(k, v.asText());
            } else {
                problems.add("unknown key '" + k + "'; known keys: " + KEYS.keySet() + ", tariffs, defaultTariffs");
            }
        }
    }

    private static void readTariffs(JsonNode node, Map<String, int[]> tariffs, List<String> problems) {
        if (!node.isObject()) {
            problems.add("tariffs: must map tariff codes to {peakHours: [...], valleyHours: [...]}");
            return;
        }
        node.fields().forEachRemaining(e -> {
            String k = "tariffs." + e.getKey();
            int[] byHour = new int[24];
            Arrays.fill(byHour, ConsumptionHistory.FLAT);
            for (String period : List.of("peakHours", "valleyHours")) {
                JsonNode hours = e.getValue().get(period);
                if (hours == null || !hours.isArray()) {
                    problems.add(k + "." + period + ": missing (a list of hours 0-23, may be empty)");
                    continue;
                }
                for (JsonNode h : hours) {
                    if (!h.canConvertToInt() || h.asInt() < 0 || h.asInt() > 23) {
                        problems.add(k + "." + period + ": " + h + " is not an hour 0-23");
                    } else if (byHour[h.asInt()] != ConsumptionHistory.FLAT) {
                        problems.add(k + ": hour " + h.asInt() + " is both peak and valley");
                    } else {
                        byHour[h.asInt()] = period.equals("peakHours") ? ConsumptionHistory.PEAK : ConsumptionHistory.VALLEY;
                    }
                }
            }
            tariffs.put(e.getKey(), byHour);
        });
    }

    private static void readDefaults(JsonNode node, Map<CustomerCategory, String> defaults, List<String> problems) {
        node.fields().forEachRemaining(e -> {
            try {
                defaults.put(CustomerCategory.valueOf(e.getKey()), e.getValue().asText());
            } catch (IllegalArgumentException ex) {
                problems.add("defaultTariffs." + e.getKey() + ": not a category; categories: "
                        + Arrays.toString(CustomerCategory.values()));
            }
        });
    }

    private void check(List<String> problems, Map<String, int[]> tariffs, Map<CustomerCategory, String> defaults) {
        try {
            ZoneId.of(values.get("timeZone"));
        } catch (DateTimeException e) {
            problems.add("timeZone: '" + values.get("timeZone") + "' is not a time zone id (e.g. Asia/Shanghai)");
        }
        positiveInt(problems, "readings.correctionWindowDays");
        int before = problems.size();
        positiveInt(problems, "readings.maxPerCustomerDay");
        if (problems.size() == before && maxReadingsPerCustomerDay() > MAX_READINGS_PER_DAY) {
            problems.add("readings.maxPerCustomerDay: must be at most " + MAX_READINGS_PER_DAY + ", is "
                    + maxReadingsPerCustomerDay());
        }
        maxKwhPerHourProblem().ifPresent(problems::add);
        positiveInt(problems, "validation.billingHorizonDays");
        positiveInt(problems, "retention.closedCustomerDays");
        positiveInt(problems, "flink.parallelism");
        duration(problems, "validation.futureTolerance");
        duration(problems, "watermarks.maxOutOfOrderness");
        duration(problems, "watermarks.idleness");
        duration(problems, "flink.checkpointInterval");
        String inc = values.get("flink.incrementalCheckpoints");
        if (!inc.equals("true") && !inc.equals("false")) {
            problems.add("flink.incrementalCheckpoints: must be true or false, is '" + inc + "'");
        }
        if (!values.get("flink.managedMemory").matches("\\d+[kmgKMG]?[bB]?")) {
            problems.add("flink.managedMemory: must be a size like 512m or 1g, is '" + values.get("flink.managedMemory") + "'");
        }
        String metricsPort = values.get("flink.metricsPort");
        if (!metricsPort.isEmpty() && !validPortRange(metricsPort)) {
            problems.add("flink.metricsPort: must be empty, a port (1-65535) or a range like 9249-9259, is '" + metricsPort + "'");
        }
        if (problems.isEmpty() && correctionWindowDays() >= ConsumptionHistory.DAYS) {
            problems.add("readings.correctionWindowDays: must be below " + ConsumptionHistory.DAYS + " (the days kept)");
        }
        for (CustomerCategory c : CustomerCategory.values()) {
            String t = defaults.get(c);
            if (t == null) {
                problems.add("defaultTariffs." + c + ": missing (the tariff of customers whose profile names none)");
            } else if (!tariffs.containsKey(t)) {
                problems.add("defaultTariffs." + c + ": tariff '" + t + "' is not defined under tariffs");
            }
        }
        if (!Files.isRegularFile(modelFile())) {
            problems.add("model: file " + modelFile() + " does not exist");
        }
        checkKafka(problems);
    }

    private static final Pattern PORT_RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");
    private static final Pattern BROKER = Pattern.compile(
            "([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+])(:[0-9]{1,5})");
    private static final Pattern TOPIC = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final List<String> TOPIC_KEYS = List.of("kafka.topics.meterReadings", "kafka.topics.customerProfiles",
            "kafka.topics.billingEvents", "kafka.topics.customerSegments", "kafka.topics.segmentAlerts",
            "kafka.topics.deadLetters", "kafka.topics.modelUpdates");
    /** The most a Kafka broker accepts by default (transaction.max.timeout.ms, STACK.md). */
    private static final Duration MAX_TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private void checkKafka(List<String> problems) {
        String servers = values.get("kafka.bootstrapServers").trim();
        if (servers.isEmpty()) {
            problems.add("kafka.bootstrapServers: must name at least one broker as host:port");
        }
        for (String server : servers.isEmpty() ? new String[0] : servers.split(",", -1)) {
            Matcher m = BROKER.matcher(server.trim());
            if (!m.matches() || Integer.parseInt(m.group(3).substring(1)) > 65535) {
                problems.add("kafka.bootstrapServers: '" + server.trim() + "' is not host:port (e.g. 127.0.0.1:9092)");
            }
        }
        Map<String, String> byName = new HashMap<>();
        for (String key : TOPIC_KEYS) {
            String topic = values.get(key);
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                problems.add(key + ": '" + topic + "' is not a Kafka topic name (1-249 of a-z A-Z 0-9 . _ -)");
            } else if (byName.containsKey(topic)) {
                problems.add(key + ": topic '" + topic + "' is also " + byName.get(topic) + "; every topic must differ");
            } else {
                byName.put(topic, key);
            }
        }
        for (String key : List.of("kafka.groupId", "kafka.transactionalIdPrefix")) {
            if (values.get(key).isBlank() || !values.get(key).equals(values.get(key).strip())) {
                problems.add(key + ": must not be empty or start or end with a space, is '" + values.get(key) + "'");
            }
        }
        int before = problems.size();
        duration(problems, "kafka.transactionTimeout");
        if (problems.size() == before) {
            Duration timeout = kafkaTransactionTimeout();
            if (timeout.compareTo(MAX_TRANSACTION_TIMEOUT) > 0) {
                problems.add("kafka.transactionTimeout: " + timeout + " is above " + MAX_TRANSACTION_TIMEOUT
                        + ", the broker's default transaction.max.timeout.ms: the sinks would fail to start");
            } else if (parses("flink.checkpointInterval") && timeout.compareTo(checkpointInterval()) <= 0) {
                problems.add("kafka.transactionTimeout: " + timeout + " must be longer than flink.checkpointInterval ("
                        + checkpointInterval() + "): a transaction stays open from one checkpoint to the next");
            }
        }
        String create = values.get("kafka.createTopics");
        if (!create.equals("true") && !create.equals("false")) {
            problems.add("kafka.createTopics: must be true or false, is '" + create + "'");
        }
        positiveInt(problems, "kafka.partitions");
        before = problems.size();
        positiveInt(problems, "kafka.replicationFactor");
        if (problems.size() == before && kafkaReplicationFactor() > Short.MAX_VALUE) {
            problems.add("kafka.replicationFactor: must be at most " + Short.MAX_VALUE);
        }
        kafkaPropertiesFile().ifPresent(file -> {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                problems.add("kafka.propertiesFile: file " + file + " does not exist or cannot be read");
            }
        });
    }

    private Optional<String> maxKwhPerHourProblem() {
        String v = values.get("validation.maxKwhPerHour");
        try {
            double d = Double.parseDouble(v);
            if (d > 0 && d <= MAX_PLAUSIBLE_KWH_PER_HOUR) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        return Optional.of("validation.maxKwhPerHour: must be a number above 0 and at most "
                + String.format(java.util.Locale.ROOT, "%.0f", MAX_PLAUSIBLE_KWH_PER_HOUR) + ", is '" + v + "'");
    }

    private void positiveInt(List<String> problems, String key) {
        try {
            if (Integer.parseInt(values.get(key)) <= 0) {
                problems.add(key + ": must be a whole number above 0, is " + values.get(key));
            }
        } catch (NumberFormatException e) {
            problems.add(key + ": must be a whole number, is '" + values.get(key) + "'");
        }
    }

    private boolean parses(String durationKey) {
        try {
            Duration.parse(values.get(durationKey));
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private void duration(List<String> problems, String key) {
        try {
            if (Duration.parse(values.get(key)).isNegative()) {
                problems.add(key + ": must not be negative");
            }
        } catch (DateTimeParseException e) {
            problems.add(key + ": must be an ISO-8601 duration like PT6H or PT10S, is '" + values.get(key) + "'");
        }
    }

    /** Every key with its meaning and current value, for `gridtier config`. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        KEYS.forEach((k, v) -> b.append(String.format("%-32s %-40s %s%n", k, values.get(k), v[1])));
        return b.toString();
    }

    /**
     * The configuration reference (docs/configuration.md), made from the same key table as
     * {@link #describe()} and the validation, so that the page cannot drift from the code:
     * {@code bin/gridtier config --reference > docs/configuration.md}.
     */
    public static String reference() {
        StringBuilder b = new StringBuilder();
        b.append("# Configuration reference\n\n")
                .append("<!-- Generated by `bin/gridtier config --reference > docs/configuration.md`; do not edit by hand:\n")
                .append("     flink-jobs' ConfigurationReferenceTest fails when this page and the code differ. -->\n\n")
                .append("The job reads `config/gridtier.yaml` (another file with `--config FILE`). Nested YAML keys are joined\n")
                .append("with dots; any key can be overridden on the command line with `--set key=value`. A wrong key or\n")
                .append("value stops start-up with a message that names it. `bin/gridtier config` prints the values in force.\n\n")
                .append("| key | default | meaning |\n|---|---|---|\n");
        KEYS.forEach((k, v) -> b.append("| `").append(k).append("` | ")
                .append(v[0].isEmpty() ? "(empty)" : "`" + v[0] + "`").append(" | ")
                .append(v[1].replace("|", "\\|")).append(" |\n"));
        b.append("\n## Tariffs\n\n")
                .append("`tariffs` maps a tariff code to its time-of-use hours: `{peakHours: [...], valleyHours: [...]}`,\n")
                .append("local hours 0-23 by interval start; every other hour is flat. Daily readings cannot be split and\n")
                .append("are counted apart. `defaultTariffs` names the tariff of a customer whose profile names none, per\n")
                .append("category (")
                .append(String.join(", ", java.util.Arrays.stream(CustomerCategory.values()).map(c -> "`" + c + "`").toList()))
                .append("). Every category needs one.\n");
        return b.toString();
    }

    public String get(String key) {
        if (!KEYS.containsKey(key)) {
            throw new IllegalArgumentException("unknown configuration key " + key);
        }
        return values.get(key);
    }

    public ZoneId zone() {
        return ZoneId.of(values.get("timeZone"));
    }

    public Path modelFile() {
        Path p = Path.of(values.get("model"));
        return p.isAbsolute() ? p : Path.of(baseDir).resolve(p);
    }

    public int correctionWindowDays() {
        return Integer.parseInt(values.get("readings.correctionWindowDays"));
    }

    /** The reading id on which the segmenter fails the job's first attempt (testing.failOnceOnReadingId), or null. */
    public String failOnceOnReadingId() {
        String id = values.get("testing.failOnceOnReadingId").trim();
        return id.isEmpty() ? null : id;
    }

    public int maxReadingsPerCustomerDay() {
        return Integer.parseInt(values.get("readings.maxPerCustomerDay"));
    }

    public double maxKwhPerHour() {
        return Double.parseDouble(values.get("validation.maxKwhPerHour"));
    }

    public Duration futureTolerance() {
        return Duration.parse(values.get("validation.futureTolerance"));
    }

    public int billingHorizonDays() {
        return Integer.parseInt(values.get("validation.billingHorizonDays"));
    }

    public Duration maxOutOfOrderness() {
        return Duration.parse(values.get("watermarks.maxOutOfOrderness"));
    }

    public Duration idleness() {
        return Duration.parse(values.get("watermarks.idleness"));
    }

    public int closedRetentionDays() {
        return Integer.parseInt(values.get("retention.closedCustomerDays"));
    }

    public int parallelism() {
        return Integer.parseInt(values.get("flink.parallelism"));
    }

    public String managedMemory() {
        return values.get("flink.managedMemory");
    }

    public Duration checkpointInterval() {
        return Duration.parse(values.get("flink.checkpointInterval"));
    }

    public boolean incrementalCheckpoints() {
        return Boolean.parseBoolean(values.get("flink.incrementalCheckpoints"));
    }

    public String checkpointDir() {
        return values.get("flink.checkpointDir");
    }

    /** Port or port range of the local Prometheus reporter; empty when there is none. */
    public String metricsPort() {
        return values.get("flink.metricsPort");
    }

    private static boolean validPortRange(String v) {
        Matcher m = PORT_RANGE.matcher(v.strip());
        if (!m.matches()) {
            return false;
        }
        int from = Integer.parseInt(m.group(1));
        int to = m.group(2) == null ? from : Integer.parseInt(m.group(2));
        return from >= 1 && to <= 65535 && from <= to;
    }

    public TariffCalendar tariffs() {
        return tariffs;
    }

    public String kafkaBootstrapServers() {
        return values.get("kafka.bootstrapServers").replace(" ", "");
    }

    /** The Kafka client settings file, resolved against the project folder; empty when none is named. */
    public Optional<Path> kafkaPropertiesFile() {
        String f = values.get("kafka.propertiesFile").trim();
        if (f.isEmpty()) {
            return Optional.empty();
        }
        Path p = Path.of(f);
        return Optional.of(p.isAbsolute() ? p : Path.of(baseDir).resolve(p));
    }

    public String meterReadingsTopic() {
        return values.get("kafka.topics.meterReadings");
    }

    public String customerProfilesTopic() {
        return values.get("kafka.topics.customerProfiles");
    }

    public String billingEventsTopic() {
        return values.get("kafka.topics.billingEvents");
    }

    public String customerSegmentsTopic() {
        return values.get("kafka.topics.customerSegments");
    }

    public String segmentAlertsTopic() {
        return values.get("kafka.topics.segmentAlerts");
    }

    public String deadLettersTopic() {
        return values.get("kafka.topics.deadLetters");
    }

    public String modelUpdatesTopic() {
        return values.get("kafka.topics.modelUpdates");
    }

    public String kafkaGroupId() {
        return values.get("kafka.groupId");
    }

    public String kafkaTransactionalIdPrefix() {
        return values.get("kafka.transactionalIdPrefix");
    }

    public Duration kafkaTransactionTimeout() {
        return Duration.parse(values.get("kafka.transactionTimeout"));
    }

    public boolean kafkaCreateTopics() {
        return Boolean.parseBoolean(values.get("kafka.createTopics"));
    }

    public int kafkaPartitions() {
        return Integer.parseInt(values.get("kafka.partitions"));
    }

    public int kafkaReplicationFactor() {
        return Integer.parseInt(values.get("kafka.replicationFactor"));
    }
}
