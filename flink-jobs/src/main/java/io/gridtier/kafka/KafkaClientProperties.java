package io.gridtier.kafka;

import io.gridtier.config.JobConfig;
import io.gridtier.model.InvalidConfigException;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The Kafka client settings every client of the job shares (source, sinks, topic set-up): the
 * brokers from {@code kafka.bootstrapServers}, then the file named by {@code kafka.propertiesFile},
 * then {@code GRIDTIER_KAFKA_*} environment variables ({@code GRIDTIER_KAFKA_SASL_JAAS_CONFIG} sets
 * {@code sasl.jaas.config}). Credentials therefore come from a file or the environment, never from
 * the command line. Settings the job owns (brokers, group, isolation, transactions, serializers)
 * are refused there, with the key that sets them instead.
 *
 * <p>A secret setting (a name with password, jaas, secret, token or key in it) is not copied: it becomes a
 * reference that Kafka's own config providers resolve in each client, in each process
 * ({@code ${gridtierenv:GRIDTIER_KAFKA_SASL_JAAS_CONFIG}}, {@code ${gridtierfile:/abs/kafka.properties:ssl.key.password}}).
 * The job graph, its submission and the JobManager's archive then hold references only; the JobManager and
 * every TaskManager need the same variable or file (the chart gives both the same environment and mounts).
 */
public final class KafkaClientProperties {
    /** Environment variables with this prefix become client settings. */
    public static final String ENV_PREFIX = "GRIDTIER_KAFKA_";

    private static final Map<String, String> OWNED_BY_THE_JOB = Map.ofEntries(
            Map.entry("bootstrap.servers", "set kafka.bootstrapServers instead"),
            Map.entry("group.id", "set kafka.groupId instead"),
            Map.entry("transactional.id", "the sinks derive it from kafka.transactionalIdPrefix"),
            Map.entry("transaction.timeout.ms", "set kafka.transactionTimeout instead"),
            Map.entry("isolation.level", "the job always reads read_committed"),
            Map.entry("enable.idempotence", "exactly-once sinks need it"),
            Map.entry("enable.auto.commit", "the source commits offsets at checkpoints"),
            Map.entry("auto.offset.reset", "the source starts from committed offsets, else the earliest"),
            Map.entry("key.serializer", "the job writes Avro binary"),
            Map.entry("value.serializer", "the job writes Avro binary"),
            Map.entry("key.deserializer", "the job reads raw bytes"),
            Map.entry("value.deserializer", "the job reads raw bytes"));

    /** Setting names whose values must never be printed. */
    private static final List<String> SECRET_MARKERS = List.of("password", "jaas", "secret", "token", "key");
    /** The aliases of the config providers the references name (ours, so as not to clash with the user's). */
    static final String ENV_PROVIDER = "gridtierenv";
    static final String FILE_PROVIDER = "gridtierfile";

    private KafkaClientProperties() {
    }

    /** The settings for this configuration and the process environment. */
    public static Properties of(JobConfig config) {
        return of(config, System.getenv());
    }

    /** The settings for this configuration and the given environment (tests pass their own). */
    public static Properties of(JobConfig config, Map<String, String> environment) {
        Properties props = new Properties();
        List<String> problems = new ArrayList<>();
        config.kafkaPropertiesFile().ifPresent(file -> {
            Properties fromFile = read(file);
            for (String name : new TreeSet<>(fromFile.stringPropertyNames())) {
                String why = OWNED_BY_THE_JOB.get(name);
                if (why != null) {
                    problems.add("kafka.propertiesFile (" + file + "): '" + name + "' is set by the job; " + why);
                } else if (isSecret(name) && !fromFile.getProperty(name).strip().startsWith("${")) {
                    props.setProperty(name, "${" + FILE_PROVIDER + ":" + file.toAbsolutePath().normalize() + ":" + name + "}");
                } else {
                    props.setProperty(name, fromFile.getProperty(name).strip());
                }
            }
        });
        for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
            if (!e.getKey().startsWith(ENV_PREFIX) || e.getKey().length() == ENV_PREFIX.length()) {
                continue;
            }
            String name = e.getKey().substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            String why = OWNED_BY_THE_JOB.get(name);
            if (why != null) {
                problems.add("environment variable " + e.getKey() + ": '" + name + "' is set by the job; " + why);
            } else if (isSecret(name)) {
                props.setProperty(name, "${" + ENV_PROVIDER + ":" + e.getKey() + "}");
            } else {
                props.setProperty(name, e.getValue());
            }
        }
        addProviders(props);
        if (!problems.isEmpty()) {
            throw new InvalidConfigException("Kafka client settings are invalid:\n  - " + String.join("\n  - ", problems));
        }
        props.setProperty("bootstrap.servers", config.kafkaBootstrapServers());
        return props;
    }

    /** The settings with secret values masked, for start-up messages. */
    public static String describe(Properties props) {
        StringBuilder b = new StringBuilder();
        for (String name : new TreeSet<>(props.stringPropertyNames())) {
            b.append(b.length() == 0 ? "" : ", ").append(name).append('=')
                    .append(isSecret(name) ? "******" : props.getProperty(name));
        }
        return b.toString();
    }

    static boolean isSecret(String name) {
        return SECRET_MARKERS.stream().anyMatch(name.toLowerCase(Locale.ROOT)::contains) && !name.startsWith("config.providers")
                && !name.endsWith(".type") && !name.endsWith(".location") && !name.endsWith(".algorithm");
    }

    /** Declares the providers the references use, after any the user declared. */
    private static void addProviders(Properties props) {
        List<String> providers = new ArrayList<>();
        String declared = props.getProperty("config.providers", "").strip();
        if (!declared.isEmpty()) {
            providers.addAll(List.of(declared.split("\\s*,\\s*")));
        }
        Map<String, String> ours = Map.of(ENV_PROVIDER, "org.apache.kafka.common.config.provider.EnvVarConfigProvider",
                FILE_PROVIDER, "org.apache.kafka.common.config.provider.FileConfigProvider");
        for (Map.Entry<String, String> p : new TreeMap<>(ours).entrySet()) {
            boolean used = props.stringPropertyNames().stream().anyMatch(n -> props.getProperty(n).startsWith("${" + p.getKey() + ":"));
            if (used && !providers.contains(p.getKey())) {
                providers.add(p.getKey());
                props.setProperty("config.providers." + p.getKey() + ".class", p.getValue());
            }
        }
        if (!providers.isEmpty()) {
            props.setProperty("config.providers", String.join(",", providers));
        }
    }

    private static Properties read(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new InvalidConfigException("kafka.propertiesFile: " + file + " cannot be read as Java properties: "
                    + e.getMessage());
        }
        return p;
    }

    /** A copy with extra settings on top. */
    public static Properties with(Properties base, String... keyValues) {
        Properties p = new Properties();
        p.putAll(base);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            p.setProperty(keyValues[i], keyValues[i + 1]);
        }
        return p;
    }
}
