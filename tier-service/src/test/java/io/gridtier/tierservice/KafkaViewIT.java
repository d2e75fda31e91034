package io.gridtier.tierservice;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.SegmentAlert;
import io.gridtier.testkit.SharedLocalKafka;
import io.gridtier.tierservice.bench.SampleProducer;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.support.Http;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.ServiceFixture;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The view against a real Kafka broker (its own JVM): what the job commits appears through the API, what it
 * aborts never does; a restart keeps the data and resumes from the stored offsets; a lost store is rebuilt.
 * Every test uses topics of its own.
 */
@ExtendWith(SharedLocalKafka.class)
class KafkaViewIT {
    private static final Duration READY_WITHIN = Duration.ofSeconds(60);
    private static final AtomicInteger TOPICS = new AtomicInteger();

    private Path work;
    private String segmentsTopic;
    private String alertsTopic;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void topics(TestInfo info) {
        int n = TOPICS.incrementAndGet();
        String name = info.getTestMethod().orElseThrow().getName();
        segmentsTopic = "segments-" + n + "-" + name.hashCode();
        alertsTopic = "alerts-" + n + "-" + name.hashCode();
        work = TestWork.newDir("kafka-view");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        TestWork.deleteTree(work);
    }

    @Test
    void committedSegmentsAndAlertsAppearThroughTheApiAndAbortedOnesNever() throws Exception {
        createTopics();
        CustomerSegment c1v1 = Segments.of("C1", 60, 10, 95, "2016-01-01T00:00:00Z");
        CustomerSegment c1v2 = Segments.of("C1", 80, 10, 95, "2016-02-01T00:00:00Z");
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-1")) {
            commit(tx, seg(c1v1), seg(c1v2),
                    alert(SyntheticSegments.alert(c1v2, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT")),
                    seg(Segments.of("C2", 40, 70, 80, "2016-02-01T00:00:00Z")));
            abort(tx, seg(Segments.of("C1", 20, 10, 95, "2016-03-01T00:00:00Z")),
                    seg(Segments.of("C9", 80, 10, 95, "2016-03-01T00:00:00Z")),
                    alert(SyntheticSegments.alert(c1v2, AlertType.CREDIT_DOWNGRADED, "A", "C")));
            commit(tx, seg(Segments.of("C3", 40, 10, 95, "2016-03-01T00:00:00Z")));
        }

        TierViewService service = start();
        Http http = new Http(service.port());
        awaitReady(http);

        JsonNode c1 = http.get("/api/customers/C1", TestTokens.AGENT).json();
        assertThat(c1.path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");
        assertThat(c1.path("freshness").path("asOf").asText()).isEqualTo("2016-02-01T08:00:00+08:00");
        assertThat(c1.path("scores").path("value").path("factors").size()).isEqualTo(6);
        assertThat(c1.path("view").path("stale").asBoolean()).isFalse();
        assertThat(http.get("/api/customers/C2", TestTokens.AGENT).json().path("flags").path("churnRisk").asText())
                .isEqualTo("HIGH");
        assertThat(http.get("/api/customers/C3", TestTokens.AGENT).status()).isEqualTo(200);
        assertThat(http.get("/api/customers/C9", TestTokens.AGENT).status()).as("aborted").isEqualTo(404);

        List<String> history = kinds(http.get("/api/customers/C1/history", TestTokens.AGENT).json());
        assertThat(history).containsExactly("ALERT:KEY_ACCOUNT_ENTERED", "SEGMENT_CHANGE", "FIRST_SEEN");

        // while running: a new committed segment shows up, and the lag returns to zero
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-2")) {
            commit(tx, seg(Segments.of("C3", 80, 50, 95, "2016-04-01T00:00:00Z")));
        }
        await("C3 to become a key account").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
                () -> http.get("/api/customers/C3", TestTokens.AGENT).json().path("valueTier").asText().equals("KEY_ACCOUNT"));
        await("the lag to return to 0").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> service.status().totalLag() == 0);
        String metrics = http.get("/metrics", TestTokens.SERVICE).body();
        assertThat(metrics).contains("tier_service_consumer_lag_records{partition=\"0\",topic=\"" + segmentsTopic + "\"} 0.0")
                .contains("tier_service_view_ready 1.0")
                .contains("tier_service_records_applied_total{topic=\"" + segmentsTopic + "\"}");
    }

    @Test
    void recordsThatAreNotSegmentsAreSkippedAndCountedWithoutStoppingTheView() throws Exception {
        createTopics();
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-bad")) {
            commit(tx, new ProducerRecord<>(segmentsTopic, key("C5"), "not avro".getBytes(StandardCharsets.UTF_8)),
                    seg(Segments.of("C6", 40, 10, 95, "2016-03-01T00:00:00Z")));
        }
        TierViewService service = start();
        Http http = new Http(service.port());
        awaitReady(http);
        assertThat(http.get("/api/customers/C6", TestTokens.AGENT).status()).isEqualTo(200);
        assertThat(http.get("/api/customers/C5", TestTokens.AGENT).status()).isEqualTo(404);
        assertThat(http.get("/metrics", TestTokens.SERVICE).body())
                .contains("tier_service_records_skipped_total{reason=\"undecodable\",topic=\"" + segmentsTopic + "\"} 1.0");
        assertThat(http.get("/health", null).json().path("status").asText()).isEqualTo("UP");
    }

    /**
     * A record that claims a 2 GB string between two valid ones, on each topic: Avro's own decoder would have
     * tried to allocate the 2 GB on the ingestor's thread, and the OutOfMemoryError would have stopped the view
     * for good (and, read again after every restart, kept it stopped). Here it is one skip, counted and logged
     * once without its bytes, and the records on either side are served.
     */
    @Test
    void aRecordClaimingAHugeLengthBetweenTwoValidOnesIsSkippedCountedAndLoggedOnce() throws Exception {
        createTopics();
        CustomerSegment before = Segments.of("C21", 80, 10, 95, "2016-03-01T00:00:00Z");
        CustomerSegment after = Segments.of("C22", 40, 70, 95, "2016-03-01T00:00:00Z");
        byte[] hugeClaim = {(byte) 0xE0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F, 'a', 'b', 'c'};
        StringWriter log = new StringWriter();
        WriterAppender capture = WriterAppender.newBuilder().setName("capture-skips").setTarget(log)
                .setLayout(PatternLayout.newBuilder().withPattern("%msg%n").build()).build();
        capture.start();
        LoggerConfig logger = ((LoggerContext) LogManager.getContext(false)).getConfiguration()
                .getLoggerConfig("io.gridtier.tierservice.ingest.TopicIngestor");
        logger.addAppender(capture, null, null);
        try {
            try (KafkaProducer<byte[], byte[]> tx = transactional("job-huge")) {
                // one partition, so that the garbage is between the two in offset order
                commit(tx, new ProducerRecord<>(segmentsTopic, 0, key("C21"), AvroCodec.encode(before)),
                        new ProducerRecord<>(segmentsTopic, 0, key("C99"), hugeClaim),
                        new ProducerRecord<>(segmentsTopic, 0, key("C22"), AvroCodec.encode(after)),
                        new ProducerRecord<>(alertsTopic, 0, key("C21"), AvroCodec.encode(
                                SyntheticSegments.alert(before, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT"))),
                        new ProducerRecord<>(alertsTopic, 0, key("C99"), hugeClaim),
                        new ProducerRecord<>(alertsTopic, 0, key("C22"), AvroCodec.encode(
                                SyntheticSegments.alert(after, AlertType.CHURN_RISK_RAISED, "ELEVATED", "HIGH"))));
            }
            TierViewService service = start();
            Http http = new Http(service.port());
            awaitReady(http);

            assertThat(http.get("/api/customers/C21", TestTokens.AGENT).json().path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");
            assertThat(http.get("/api/customers/C22", TestTokens.AGENT).json().path("flags").path("churnRisk").asText())
                    .isEqualTo("HIGH");
            assertThat(kinds(http.get("/api/customers/C21/history", TestTokens.AGENT).json())).contains("ALERT:KEY_ACCOUNT_ENTERED");
            assertThat(kinds(http.get("/api/customers/C22/history", TestTokens.AGENT).json())).contains("ALERT:CHURN_RISK_RAISED");
            assertThat(http.get("/api/customers/C99", TestTokens.AGENT).status()).isEqualTo(404);
            for (String topic : List.of(segmentsTopic, alertsTopic)) {
                assertThat(service.metrics().skippedCount(topic, "undecodable")).as(topic).isEqualTo(1.0);
                assertThat(service.metrics().skippedCount(topic, "invalid_customer_id")).as(topic).isZero();
            }
            assertThat(http.get("/metrics", TestTokens.SERVICE).body())
                    .contains("tier_service_records_skipped_total{reason=\"undecodable\",topic=\"" + alertsTopic + "\"} 1.0")
                    .contains("tier_service_records_skipped_total{reason=\"tombstone\",topic=\"" + segmentsTopic + "\"} 0.0");
            assertThat(http.get("/health", null).json().path("status").asText()).isEqualTo("UP");
        } finally {
            logger.removeAppender("capture-skips");
            capture.stop();
        }
        List<String> skips = log.toString().lines().filter(l -> l.startsWith("skipped ")).toList();
        assertThat(skips).containsExactlyInAnyOrder(
                "skipped " + segmentsTopic + "-0@1: not a CustomerSegment in Avro binary (EOFException: string of "
                        + "2147483632 bytes in a record of 8)",
                "skipped " + alertsTopic + "-0@1: not a SegmentAlert in Avro binary (EOFException: string of "
                        + "2147483632 bytes, but only 3 bytes are left)");
    }

    @Test
    void notReadyUntilTheTopicsExistAndHaveBeenReadToTheEnd() throws Exception {
        TierViewService service = start();
        Http http = new Http(service.port());
        await("the view to wait for its topics").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
                () -> http.get("/ready", null).json().path("phase").asText().equals("WAITING_FOR_TOPICS"));
        assertThat(http.get("/ready", null).status()).isEqualTo(503);

        createTopics();
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-late")) {
            commit(tx, seg(Segments.of("C7", 40, 10, 95, "2016-03-01T00:00:00Z")));
        }
        awaitReady(http);
        await("C7 to appear").atMost(Duration.ofSeconds(30)).ignoreExceptions().until(
                () -> http.get("/api/customers/C7", TestTokens.AGENT).status() == 200);
    }

    @Test
    void aRestartKeepsTheDataAndResumesFromTheStoredOffsets() throws Exception {
        createTopics();
        Random r = new Random(7);
        Map<String, CustomerSegment> latest = new HashMap<>();
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-r1")) {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                CustomerSegment s = SyntheticSegments.random(SyntheticSegments.customerId(i), r,
                        java.time.Instant.parse("2016-05-01T00:00:00Z"));
                latest.put(s.getCustomerId(), s);
                batch.add(seg(s));
            }
            commit(tx, batch.toArray(ProducerRecord[]::new));
        }
        Path store = work.resolve("store");
        TierViewService first = ServiceFixture.start(store, SharedLocalKafka.bootstrapServers(), segmentsTopic, alertsTopic);
        awaitReady(new Http(first.port()));
        assertThat(first.status().catchUpRecords()).isEqualTo(50);
        first.close();

        try (KafkaProducer<byte[], byte[]> tx = transactional("job-r2")) {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = 40; i < 60; i++) { // 10 updates, 10 new customers
                CustomerSegment s = SyntheticSegments.random(SyntheticSegments.customerId(i), r,
                        java.time.Instant.parse("2016-06-01T00:00:00Z"));
                latest.put(s.getCustomerId(), s);
                batch.add(seg(s));
            }
            commit(tx, batch.toArray(ProducerRecord[]::new));
        }

        TierViewService second = new TierViewService(ServiceFixture.config(store, SharedLocalKafka.bootstrapServers(),
                segmentsTopic, alertsTopic));
        toClose.add(second);
        assertThat(second.store().customerCount()).as("kept on disk before reading anything").isEqualTo(50);
        second.start();
        Http http = new Http(second.port());
        awaitReady(http);
        assertThat(second.status().catchUpRecords()).as("only the new records were read").isEqualTo(20);
        assertThat(second.store().customerCount()).isEqualTo(60);
        for (String id : List.of(SyntheticSegments.customerId(0), SyntheticSegments.customerId(45), SyntheticSegments.customerId(59))) {
            JsonNode c = http.get("/api/customers/" + id, TestTokens.AGENT).json();
            assertThat(c.path("valueTier").asText()).as(id).isEqualTo(latest.get(id).getValueTier().name());
            assertThat(c.path("scores").path("value").path("score").asDouble()).as(id)
                    .isEqualTo(latest.get(id).getValueScore());
        }
    }

    @Test
    void aLostStoreIsRebuiltFromTheTopics() throws Exception {
        createTopics();
        Random r = new Random(11);
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-l")) {
            List<ProducerRecord<byte[], byte[]>> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                CustomerSegment previous = null;
                for (CustomerSegment s : SampleProducer.evolution(SyntheticSegments.customerId(i), r,
                        java.time.Instant.parse("2016-09-01T00:00:00Z"), 4)) {
                    batch.add(seg(s));
                    for (SegmentAlert a : SampleProducer.crossings(previous, s)) {
                        batch.add(alert(a));
                    }
                    previous = s;
                }
            }
            commit(tx, batch.toArray(ProducerRecord[]::new));
        }
        Path store = work.resolve("store");
        Map<String, String> before = new HashMap<>();
        try (TierViewService first = ServiceFixture.start(store, SharedLocalKafka.bootstrapServers(), segmentsTopic, alertsTopic)) {
            Http http = new Http(first.port());
            awaitReady(http);
            for (int i = 0; i < 30; i++) {
                String id = SyntheticSegments.customerId(i);
                before.put(id, comparable(http, id));
            }
        }
        TestWork.deleteTree(store);

        TierViewService rebuilt = start(store);
        Http http = new Http(rebuilt.port());
        awaitReady(http);
        assertThat(rebuilt.store().customerCount()).isEqualTo(30);
        for (int i = 0; i < 30; i++) {
            String id = SyntheticSegments.customerId(i);
            assertThat(comparable(http, id)).as(id).isEqualTo(before.get(id));
        }
        assertThat(before.values()).anyMatch(s -> s.contains("ALERT:"));
    }

    @Test
    void historyOlderThanTheRetentionIsPrunedOnceCaughtUpAndAtStillAnswersInsideIt() throws Exception {
        createTopics();
        // a year of monthly tier changes with an alert at each
        List<ProducerRecord<byte[], byte[]>> year = new ArrayList<>();
        for (int m = 1; m <= 12; m++) {
            CustomerSegment s = Segments.of("C1", m % 2 == 0 ? 40 : 80, 10, 95, String.format("2016-%02d-01T00:00:00Z", m));
            year.add(seg(s));
            if (m > 1) {
                year.add(alert(m % 2 == 0
                        ? SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_EXITED, "KEY_ACCOUNT", "STANDARD")
                        : SyntheticSegments.alert(s, AlertType.KEY_ACCOUNT_ENTERED, "STANDARD", "KEY_ACCOUNT")));
            }
        }
        try (KafkaProducer<byte[], byte[]> tx = transactional("job-year")) {
            @SuppressWarnings("unchecked")
            ProducerRecord<byte[], byte[]>[] records = year.toArray(new ProducerRecord[0]);
            commit(tx, records);
        }

        TierViewService service = ServiceFixture.start(work.resolve("store"), SharedLocalKafka.bootstrapServers(),
                segmentsTopic, alertsTopic, "--history-retention", "P90D");
        toClose.add(service);
        Http http = new Http(service.port());
        awaitReady(http);
        await("a retention sweep").atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> service.metrics().pruneSweeps() >= 1);

        // 90 days before 2016-12-01 is 2016-09-02: October, November and December remain, newest first
        JsonNode history = http.get("/api/customers/C1/history?limit=50", TestTokens.AGENT).json();
        assertThat(kinds(history)).containsExactly("ALERT:KEY_ACCOUNT_EXITED", "SEGMENT_CHANGE",
                "ALERT:KEY_ACCOUNT_ENTERED", "SEGMENT_CHANGE", "ALERT:KEY_ACCOUNT_EXITED", "SEGMENT_CHANGE");
        assertThat(history.path("items").get(0).path("time").asText()).isEqualTo("2016-12-01T08:00:00+08:00");
        assertThat(history.path("items").get(5).path("time").asText()).isEqualTo("2016-10-01T08:00:00+08:00");

        // inside the retention the segment in force still answers, September's included (in force at its start)
        assertThat(http.get("/api/customers/C1?at=2016-10-15T00:00:00Z", TestTokens.AGENT).json()
                .path("freshness").path("asOf").asText()).isEqualTo("2016-10-01T08:00:00+08:00");
        assertThat(http.get("/api/customers/C1?at=2016-09-03T00:00:00Z", TestTokens.AGENT).json()
                .path("freshness").path("asOf").asText()).isEqualTo("2016-09-01T08:00:00+08:00");
        Http.Response before = http.get("/api/customers/C1?at=2016-08-15T00:00:00Z", TestTokens.AGENT);
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.json().path("error").asText()).isEqualTo("no_segment_at_time");
        assertThat(http.get("/api/customers/C1", TestTokens.AGENT).json().path("freshness").path("asOf").asText())
                .isEqualTo("2016-12-01T08:00:00+08:00");
        assertThat(http.get("/metrics", TestTokens.SERVICE).body())
                .contains("tier_service_history_pruned_total{family=\"history\"} 17.0")
                .contains("tier_service_history_pruned_total{family=\"versions\"} 8.0");
    }

    // ---------------------------------------------------------------- helpers

    /** The segment and the alerts of a customer's timeline, as text to compare before and after a rebuild. */
    private static String comparable(Http http, String id) {
        JsonNode c = http.get("/api/customers/" + id, TestTokens.AGENT).json();
        JsonNode h = http.get("/api/customers/" + id + "/history?limit=200", TestTokens.AGENT).json();
        List<String> alerts = kinds(h).stream().filter(k -> k.startsWith("ALERT:")).toList();
        return c.path("valueTier").asText() + " " + c.path("flags") + " " + c.path("scores") + " "
                + c.path("freshness").path("asOf").asText() + " " + c.path("recommendedActions") + " " + alerts;
    }

    private static List<String> kinds(JsonNode history) {
        List<String> out = new ArrayList<>();
        history.path("items").forEach(i -> out.add(i.path("kind").asText() + (i.has("type") ? ":" + i.path("type").asText() : "")));
        return out;
    }

    private TierViewService start() {
        return start(work.resolve("store"));
    }

    private TierViewService start(Path store) {
        TierViewService s = ServiceFixture.start(store, SharedLocalKafka.bootstrapServers(), segmentsTopic, alertsTopic);
        toClose.add(s);
        return s;
    }

    private static void awaitReady(Http http) {
        await("the view to be ready").atMost(READY_WITHIN).ignoreExceptions()
                .until(() -> http.get("/ready", null).status() == 200);
    }

    private void createTopics() throws Exception {
        SampleProducer.createTopics(SharedLocalKafka.bootstrapServers(), segmentsTopic, alertsTopic, 2);
    }

    private KafkaProducer<byte[], byte[]> transactional(String id) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedLocalKafka.bootstrapServers());
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, id + "-" + segmentsTopic);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        producer.initTransactions();
        return producer;
    }

    @SafeVarargs
    private static void commit(KafkaProducer<byte[], byte[]> tx, ProducerRecord<byte[], byte[]>... records) {
        tx.beginTransaction();
        for (ProducerRecord<byte[], byte[]> r : records) {
            tx.send(r);
        }
        tx.commitTransaction();
    }

    @SafeVarargs
    private static void abort(KafkaProducer<byte[], byte[]> tx, ProducerRecord<byte[], byte[]>... records) {
        tx.beginTransaction();
        for (ProducerRecord<byte[], byte[]> r : records) {
            tx.send(r);
        }
        tx.flush();
        tx.abortTransaction();
    }

    private ProducerRecord<byte[], byte[]> seg(CustomerSegment s) {
        return new ProducerRecord<>(segmentsTopic, key(s.getCustomerId()), AvroCodec.encode(s));
    }

    private ProducerRecord<byte[], byte[]> alert(SegmentAlert a) {
        return new ProducerRecord<>(alertsTopic, key(a.getCustomerId()), AvroCodec.encode(a));
    }

    private static byte[] key(String id) {
        return id.getBytes(StandardCharsets.UTF_8);
    }
}
