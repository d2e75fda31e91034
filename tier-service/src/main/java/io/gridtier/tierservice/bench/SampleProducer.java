package io.gridtier.tierservice.bench;

import io.gridtier.schema.AlertType;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ValueTier;
import io.gridtier.tierservice.store.AvroCodec;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutionException;

/**
 * Demo data: writes synthetic segments (several versions per customer, a month apart) and the alerts their
 * crossings imply onto the two topics, as plain Avro binary keyed by customer id, like the segmentation job.
 * <pre>
 *   produce-sample [--bootstrap-servers 127.0.0.1:9092] [--count 1000] [--versions 6] [--seed 1]
 *                  [--segments-topic customer-segments] [--alerts-topic segment-alerts] [--create-topics true]
 * </pre>
 */
public final class SampleProducer {
    private SampleProducer() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = new HashMap<>(Map.of("bootstrap-servers", "127.0.0.1:9092", "count", "1000",
                "versions", "6", "seed", "1", "segments-topic", "customer-segments", "alerts-topic", "segment-alerts",
                "create-topics", "true", "partitions", "2"));
        for (int i = 0; i < args.length; i += 2) {
            String k = args[i].replaceFirst("^--", "");
            if (!o.containsKey(k) || i + 1 >= args.length) {
                throw new IllegalArgumentException("usage: produce-sample " + o.keySet().stream().map(s -> "[--" + s + " V]")
                        .reduce((a, b) -> a + " " + b).orElse(""));
            }
            o.put(k, args[i + 1]);
        }
        String bootstrap = o.get("bootstrap-servers");
        if (Boolean.parseBoolean(o.get("create-topics"))) {
            createTopics(bootstrap, o.get("segments-topic"), o.get("alerts-topic"), Integer.parseInt(o.get("partitions")));
        }
        long started = System.nanoTime();
        long[] counts = produce(bootstrap, o.get("segments-topic"), o.get("alerts-topic"), Integer.parseInt(o.get("count")),
                Integer.parseInt(o.get("versions")), Long.parseLong(o.get("seed")));
        System.out.printf("produced %d segments and %d alerts for %s customers in %.1f s%n", counts[0], counts[1],
                o.get("count"), (System.nanoTime() - started) / 1e9);
    }

    /** Creates the segments topic (log-compacted) and the alerts topic, if they do not exist. */
    public static void createTopics(String bootstrap, String segmentsTopic, String alertsTopic, int partitions)
            throws InterruptedException, ExecutionException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = List.of(
                    new NewTopic(segmentsTopic, partitions, (short) 1).configs(Map.of("cleanup.policy", "compact")),
                    new NewTopic(alertsTopic, partitions, (short) 1));
            for (NewTopic t : topics) {
                try {
                    admin.createTopics(List.of(t)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    public static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return new KafkaProducer<>(p);
    }

    /** {@code versions} segments a month apart for each of {@code count} customers, with their alerts. */
    public static long[] produce(String bootstrap, String segmentsTopic, String alertsTopic, int count, int versions,
                                 long seed) {
        Random r = new Random(seed);
        Instant end = Instant.parse("2016-09-01T00:00:00Z");
        long segments = 0;
        long alerts = 0;
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap)) {
            for (int i = 0; i < count; i++) {
                String id = SyntheticSegments.customerId(i);
                byte[] key = id.getBytes(StandardCharsets.UTF_8);
                CustomerSegment previous = null;
                for (CustomerSegment s : evolution(id, r, end, versions)) {
                    producer.send(new ProducerRecord<>(segmentsTopic, key, AvroCodec.encode(s)));
                    segments++;
                    for (var alert : crossings(previous, s)) {
                        producer.send(new ProducerRecord<>(alertsTopic, key, AvroCodec.encode(alert)));
                        alerts++;
                    }
                    previous = s;
                }
            }
            producer.flush();
        }
        return new long[] {segments, alerts};
    }

    /** A customer's segments over {@code versions} months up to {@code end}: scores drift, tiers follow. */
    public static List<CustomerSegment> evolution(String id, Random r, Instant end, int versions) {
        List<CustomerSegment> out = new ArrayList<>(versions);
        CustomerSegment first = SyntheticSegments.random(id, r, end.minus(Duration.ofDays(30L * (versions - 1))));
        double value = first.getValueScore();
        double churn = first.getChurnScore();
        double credit = first.getCreditScore();
        Instant tierSince = first.getTierSince();
        CustomerSegment previous = first;
        out.add(first);
        for (int v = 1; v < versions; v++) {
            Instant asOf = end.minus(Duration.ofDays(30L * (versions - 1 - v)));
            value = clamp(value + r.nextGaussian() * 6);
            churn = clamp(churn + r.nextGaussian() * 8);
            credit = clamp(Math.max(10, credit + r.nextGaussian() * 5));
            CustomerSegment s = SyntheticSegments.build(id, first.getCategory(), value, churn, credit, r, asOf, tierSince);
            if (s.getValueTier() != previous.getValueTier()) {
                tierSince = asOf;
                s.setTierSince(asOf);
            }
            out.add(s);
            previous = s;
        }
        return out;
    }

    /** The alerts the job would write between two successive segments of a customer. */
    public static List<io.gridtier.schema.SegmentAlert> crossings(CustomerSegment before, CustomerSegment after) {
        List<io.gridtier.schema.SegmentAlert> out = new ArrayList<>();
        if (before == null) {
            return out;
        }
        if (before.getValueTier() != ValueTier.KEY_ACCOUNT && after.getValueTier() == ValueTier.KEY_ACCOUNT) {
            out.add(SyntheticSegments.alert(after, AlertType.KEY_ACCOUNT_ENTERED, before.getValueTier().name(), "KEY_ACCOUNT"));
        }
        if (before.getValueTier() == ValueTier.KEY_ACCOUNT && after.getValueTier() != ValueTier.KEY_ACCOUNT) {
            out.add(SyntheticSegments.alert(after, AlertType.KEY_ACCOUNT_EXITED, "KEY_ACCOUNT", after.getValueTier().name()));
        }
        if (!before.getPotentialKeyAccount() && after.getPotentialKeyAccount()) {
            out.add(SyntheticSegments.alert(after, AlertType.POTENTIAL_KEY_ACCOUNT_IDENTIFIED, "false", "true"));
        }
        if (after.getChurnRisk().ordinal() > before.getChurnRisk().ordinal()) {
            out.add(SyntheticSegments.alert(after, AlertType.CHURN_RISK_RAISED, before.getChurnRisk().name(),
                    after.getChurnRisk().name()));
        } else if (after.getChurnRisk() == ChurnRisk.LOW && before.getChurnRisk() != ChurnRisk.LOW) {
            out.add(SyntheticSegments.alert(after, AlertType.CHURN_RISK_CLEARED, before.getChurnRisk().name(), "LOW"));
        }
        CreditRating b = before.getCreditRating();
        CreditRating a = after.getCreditRating();
        if (a.ordinal() > b.ordinal()) {
            out.add(SyntheticSegments.alert(after, AlertType.CREDIT_DOWNGRADED, b.name(), a.name()));
        } else if (a.ordinal() < b.ordinal()) {
            out.add(SyntheticSegments.alert(after, AlertType.CREDIT_UPGRADED, b.name(), a.name()));
        }
        return out;
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(100, v));
    }
}
