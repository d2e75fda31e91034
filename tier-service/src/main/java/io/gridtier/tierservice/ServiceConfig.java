package io.gridtier.tierservice;

import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The service's configuration: one immutable object with named keys, defaults and clear errors. Every key is
 * a command-line option {@code --key value}, or else the environment variable {@code GRIDTIER_TIER_KEY}
 * (upper case, '-' as '_'), or else its default.
 */
public record ServiceConfig(
        String bootstrapServers,
        String segmentsTopic,
        String alertsTopic,
        Path storeDir,
        long blockCacheBytes,
        String bind,
        int port,
        int httpThreads,
        Duration httpIdleTimeout,
        int httpMaxConnections,
        Optional<Path> tokensFile,
        Optional<String> tokensInline,
        Optional<String> logKey,
        ZoneId zone,
        long staleLagRecords,
        Duration staleAfterNoContact,
        boolean accessLog,
        Optional<Duration> historyRetention,
        Map<String, String> kafkaOverrides,
        Duration tokensReload,
        int authFailuresPerMinute) {

    /** The keys, their defaults (null: none) and what they mean: the usage text is built from this table. */
    public static final Map<String, String[]> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("bootstrap-servers", new String[] {"127.0.0.1:9092", "Kafka brokers to read the topics from"});
        KEYS.put("segments-topic", new String[] {"customer-segments", "the compacted CustomerSegment topic"});
        KEYS.put("alerts-topic", new String[] {"segment-alerts", "the SegmentAlert topic"});
        KEYS.put("store", new String[] {"work/tier-service/store", "folder of the local store (RocksDB); "
                + "deleted or lost, it is rebuilt from the topics"});
        KEYS.put("block-cache-mb", new String[] {"256", "RocksDB block cache"});
        KEYS.put("bind", new String[] {"127.0.0.1", "address the HTTP server listens on"});
        KEYS.put("port", new String[] {"8080", "HTTP port (0: any free port)"});
        KEYS.put("http-threads", new String[] {"16", "request threads (bounded; requests queue behind them)"});
        KEYS.put("http-idle-timeout-seconds", new String[] {"30", "a connection that sends or reads nothing for this long "
                + "is closed (a request whose headers trickle in, a body never finished, an idle keep-alive)"});
        KEYS.put("http-max-connections", new String[] {"5000", "open HTTP connections at most; at the cap no new one is "
                + "accepted and idle ones are closed after 2 s, so that slots come free"});
        KEYS.put("tokens", new String[] {null, "file of API token hashes, one 'tokenId role name hash' a line "
                + "(made by hash-token)"});
        KEYS.put("tokens-reload-seconds", new String[] {"5", "how often at most the tokens file is checked for changes "
                + "(revoked, added or expiring tokens take effect without a restart); 0: read once at start"});
        KEYS.put("auth-failures-per-minute", new String[] {"20", "failed authentications a client address may make in a "
                + "minute; then every request from it that needs a token is a 429 until the minute has passed; 0: no limit"});
        KEYS.put("tokens-inline", new String[] {null, "the same lines, separated by newlines or ';' "
                + "(usually from the environment: GRIDTIER_TIER_TOKENS_INLINE)"});
        KEYS.put("log-key", new String[] {null, "secret that keys the customer-id hashes in access logs; "
                + "without it a random one per start (hashes then differ between restarts)"});
        KEYS.put("zone", new String[] {"UTC", "time zone of the timestamps the API writes (e.g. Asia/Shanghai)"});
        KEYS.put("stale-lag-records", new String[] {"1000", "the view counts as stale above this consumer lag"});
        KEYS.put("stale-after-seconds", new String[] {"30", "... or when the broker has not answered for this long"});
        KEYS.put("access-log", new String[] {"true", "write an access log line per request (ids hashed)"});
        KEYS.put("history-retention", new String[] {"P400D", "history and versions each customer keeps, back from "
                + "its newest event (ISO-8601 days/hours, e.g. P400D; 'none' keeps everything)"});
    }

    /** Environment variables that set a Kafka client property: GRIDTIER_KAFKA_SASL_JAAS_CONFIG → sasl.jaas.config. */
    public static final String KAFKA_ENV_PREFIX = "GRIDTIER_KAFKA_";

    public static ServiceConfig fromArgs(List<String> args, Map<String, String> env) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> kafka = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (!a.startsWith("--")) {
                throw new ConfigException("unexpected argument '" + a + "'; options are --key value");
            }
            String key = a.substring(2);
            String value;
            int eq = key.indexOf('=');
            if (eq >= 0) {
                value = key.substring(eq + 1);
                key = key.substring(0, eq);
            } else {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("option --" + key + " needs a value");
                }
                value = args.get(++i);
            }
            if (key.startsWith("kafka.")) {
                kafka.put(key.substring("kafka.".length()), value);
                continue;
            }
            if (!KEYS.containsKey(key)) {
                throw new ConfigException("unknown option --" + key + "; known: " + String.join(", ", KEYS.keySet())
                        + ", kafka.<consumer property>");
            }
            values.put(key, value);
        }
        // Kafka client settings from the environment, as the job reads them: GRIDTIER_KAFKA_SASL_JAAS_CONFIG is
        // sasl.jaas.config. A secret passed this way never appears on the process's command line; --kafka.* wins.
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(env).entrySet()) {
            String name = e.getKey();
            if (name.startsWith(KAFKA_ENV_PREFIX) && name.length() > KAFKA_ENV_PREFIX.length() && !e.getValue().isBlank()) {
                kafka.putIfAbsent(name.substring(KAFKA_ENV_PREFIX.length()).toLowerCase(java.util.Locale.ROOT).replace('_', '.'),
                        e.getValue());
            }
        }
        for (String key : KEYS.keySet()) {
            if (!values.containsKey(key)) {
                String fromEnv = env.get("GRIDTIER_TIER_" + key.toUpperCase().replace('-', '_'));
                if (fromEnv != null && !fromEnv.isBlank()) {
                    values.put(key, fromEnv);
                } else if (KEYS.get(key)[0] != null) {
                    values.put(key, KEYS.get(key)[0]);
                }
            }
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(values.get("zone"));
        } catch (DateTimeException e) {
            throw new ConfigException("zone '" + values.get("zone") + "' is not a time zone id (e.g. Asia/Shanghai)");
        }
        int port = intValue(values, "port", 0, 65535);
        ServiceConfig config = new ServiceConfig(
                nonBlank(values, "bootstrap-servers"),
                nonBlank(values, "segments-topic"),
                nonBlank(values, "alerts-topic"),
                Path.of(nonBlank(values, "store")),
                intValue(values, "block-cache-mb", 8, 65536) * (1L << 20),
                nonBlank(values, "bind"),
                port,
                intValue(values, "http-threads", 1, 512),
                Duration.ofSeconds(intValue(values, "http-idle-timeout-seconds", 1, 3600)),
                intValue(values, "http-max-connections", 16, 1_000_000),
                Optional.ofNullable(values.get("tokens")).map(Path::of),
                Optional.ofNullable(values.get("tokens-inline")),
                Optional.ofNullable(values.get("log-key")),
                zone,
                intValue(values, "stale-lag-records", 0, Integer.MAX_VALUE),
                Duration.ofSeconds(intValue(values, "stale-after-seconds", 1, 86400)),
                boolValue(values, "access-log"),
                retention(values, "history-retention"),
                Map.copyOf(kafka),
                Duration.ofSeconds(intValue(values, "tokens-reload-seconds", 0, 3600)),
                intValue(values, "auth-failures-per-minute", 0, 1_000_000));
        if (config.segmentsTopic.equals(config.alertsTopic)) {
            throw new ConfigException("segments-topic and alerts-topic must differ");
        }
        return config;
    }

    /** The usage lines of the options. */
    public static List<String> usage() {
        List<String> lines = new ArrayList<>();
        KEYS.forEach((k, v) -> lines.add(String.format("  --%-20s %s%s", k + " V", v[1],
                v[0] == null ? "" : " (default " + v[0] + ")")));
        lines.add(String.format("  --%-20s %s", "kafka.<prop> V", "any Kafka consumer property, e.g. kafka.security.protocol"));
        lines.add(String.format("  %-22s %s", "GRIDTIER_KAFKA_<PROP>", "the same from the environment (SASL_JAAS_CONFIG: sasl.jaas.config), "
                + "for secrets: never on the command line"));
        return lines;
    }

    private static String nonBlank(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new ConfigException("--" + key + " must not be empty");
        }
        return v.trim();
    }

    private static int intValue(Map<String, String> values, String key, int min, int max) {
        String v = nonBlank(values, key);
        try {
            int n = Integer.parseInt(v);
            if (n < min || n > max) {
                throw new ConfigException("--" + key + " must be between " + min + " and " + max + ", not " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("--" + key + " must be a whole number, not '" + v + "'");
        }
    }

    /** An ISO-8601 duration of at least a day, or 'none' (empty: keep everything). */
    private static Optional<Duration> retention(Map<String, String> values, String key) {
        String v = nonBlank(values, key);
        if (v.equalsIgnoreCase("none")) {
            return Optional.empty();
        }
        Duration d;
        try {
            d = Duration.parse(v);
        } catch (java.time.format.DateTimeParseException e) {
            throw new ConfigException("--" + key + " must be an ISO-8601 duration such as P400D, or none, not '" + v + "'");
        }
        if (d.compareTo(Duration.ofDays(1)) < 0) {
            throw new ConfigException("--" + key + " must be at least a day (P1D), not " + v);
        }
        return Optional.of(d);
    }

    private static boolean boolValue(Map<String, String> values, String key) {
        String v = nonBlank(values, key);
        return switch (v.toLowerCase()) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new ConfigException("--" + key + " must be true or false, not '" + v + "'");
        };
    }

    /** A configuration value is missing or wrong; the message says which and why. */
    public static final class ConfigException extends RuntimeException {
        public ConfigException(String message) {
            super(message);
        }
    }
}
