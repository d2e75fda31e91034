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
import java.util.TreeMap;

/**
 * The job's configuration: one immutable object built from a YAML file (config/gridtier.yaml) plus
 * {@code key=value} overrides, every key named, defaulted and checked. {@link #load} refuses unknown
 * keys and bad values with a message that says which key is wrong and what it should be.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Scalar keys, their defaults and what they mean (shown in errors and `gridtier config`). */
    private static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        key("timeZone", "Asia/Shanghai", "the utility's local time zone (an IANA zone id)");
        key("model", "config/model/gridtier-model-v1.yaml", "the scoring model file");
        key("readings.correctionWindowDays", "7", "days a reading may be re-sent or corrected");
        key("validation.futureTolerance", "PT1H", "how far past the wall clock an event may be dated (ISO-8601 duration)");
        key("validation.billingHorizonDays", "400", "bills and payments older than this are TOO_LATE");
        key("watermarks.maxOutOfOrderness", "PT6H", "event-time disorder tolerated (ISO-8601 duration)");
        key("watermarks.idleness", "PT1M", "a silent source split stops holding the watermark after this");
        key("retention.closedCustomerDays", "400", "days a closed customer's state is kept");
        key("flink.parallelism", "2", "parallelism of the job");
        key("flink.managedMemory", "1g", "managed (RocksDB) memory of the local task manager");
        key("flink.checkpointInterval", "PT10S", "checkpoint interval (ISO-8601 duration)");
        key("flink.incrementalCheckpoints", "true", "incremental RocksDB checkpoints");
        key("flink.checkpointDir", "", "checkpoint storage URI; empty: a folder under the work dir");
    }

    private static void key(String name, String def, String doc) {
        KEYS.put(name, new String[] {def, doc});
    }

    private final Map<String, String> values;
    private final TariffCalendar tariffs;
    private final Path baseDir;

    private JobConfig(Map<String, String> values, TariffCalendar tariffs, Path baseDir) {
        this.values = Map.copyOf(values);
        this.tariffs = tariffs;
        this.baseDir = baseDir;
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
        return p.isAbsolute() ? p : baseDir.resolve(p);
    }

    public int correctionWindowDays() {
        return Integer.parseInt(values.get("readings.correctionWindowDays"));
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

    public TariffCalendar tariffs() {
        return tariffs;
    }
}
