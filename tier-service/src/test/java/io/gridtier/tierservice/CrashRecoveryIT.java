package io.gridtier.tierservice;

import io.gridtier.schema.CustomerSegment;
import io.gridtier.testkit.SharedLocalKafka;
import io.gridtier.tierservice.bench.SampleProducer;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.store.HistoryEntry;
import io.gridtier.tierservice.store.SegmentStore;
import io.gridtier.tierservice.store.StoredSegment;
import io.gridtier.tierservice.store.TierKey;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A service killed with SIGKILL while catching up (when it writes without RocksDB's write-ahead log) leaves a
 * store whose data and offsets agree: exactly the records before the stored offsets are in it, and a restart
 * resumes from there to the same view as one uninterrupted run. The service runs in a process of its own, so
 * that nothing of it (no shutdown hook, no flush on close) runs at the kill.
 */
@ExtendWith(SharedLocalKafka.class)
class CrashRecoveryIT {
    private static final int CUSTOMERS = 20_000;
    /** Enough segments (~1.6 KB each) for the versions' 128 MB memtable to be flushed several times on the way. */
    private static final int UPDATES = 240_000;

    private final Path work = TestWork.newDir("crash");
    private Process service;

    @AfterEach
    void cleanUp() throws Exception {
        if (service != null && service.isAlive()) {
            service.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        TestWork.deleteTree(work);
    }

    /** One record as produced: which customer, its asOf, its tier key. */
    private record Sent(String customerId, long asOf, TierKey tier) {
    }

    @Test
    void aServiceKilledWhileCatchingUpResumesWithDataAndOffsetsInAgreement() throws Exception {
        String segmentsTopic = "crash-segments-" + System.nanoTime();
        String alertsTopic = "crash-alerts-" + System.nanoTime();
        SampleProducer.createTopics(SharedLocalKafka.bootstrapServers(), segmentsTopic, alertsTopic, 2);
        List<List<Sent>> sent = produce(segmentsTopic);
        Path store = work.resolve("store");

        // 1. killed once something has been flushed, before it has caught up
        service = start(store, segmentsTopic, alertsTopic, "first");
        await("a finished flush of the store while catching up").atMost(Duration.ofSeconds(120)).ignoreExceptions().until(
                () -> flushed(store) || !service.isAlive());
        assertThat(service.isAlive()).as("the service runs (see %s)", work.resolve("first.log")).isTrue();
        service.destroyForcibly(); // SIGKILL
        assertThat(service.waitFor(30, TimeUnit.SECONDS)).isTrue();

        Map<Integer, Long> killedAt = new HashMap<>();
        try (SegmentStore s = SegmentStore.open(store, 16L << 20)) {
            for (Map.Entry<TopicPartition, Long> e : s.offsets().entrySet()) {
                if (e.getKey().topic().equals(segmentsTopic)) {
                    killedAt.put(e.getKey().partition(), e.getValue());
                }
            }
            long applied = killedAt.values().stream().mapToLong(Long::longValue).sum();
            assertThat(applied).as("records durable at the kill").isPositive().isLessThan(UPDATES);
            assertAgrees(s, sent, killedAt);
        }

        // 2. restarted, it reads on from the stored offsets to the end
        service = start(store, segmentsTopic, alertsTopic, "second");
        Path log = work.resolve("second.log");
        await("the restarted service catching up").atMost(Duration.ofSeconds(180)).ignoreExceptions().until(
                () -> read(log).contains("caught up with the topics") || !service.isAlive());
        assertThat(read(log)).contains("caught up with the topics")
                .contains((UPDATES - killedAt.values().stream().mapToLong(Long::longValue).sum()) + " records applied");
        service.destroy(); // SIGTERM: an orderly stop
        assertThat(service.waitFor(60, TimeUnit.SECONDS)).isTrue();
        try (SegmentStore s = SegmentStore.open(store, 16L << 20)) {
            assertAgrees(s, sent, Map.of(0, (long) sent.get(0).size(), 1, (long) sent.get(1).size()));
        }
    }

    /**
     * The store holds exactly the first {@code upTo.get(p)} records of each partition p: every customer's current
     * asOf and tier, its number of timeline entries (first seen, then one per tier change), and the customer count.
     */
    private static void assertAgrees(SegmentStore s, List<List<Sent>> sent, Map<Integer, Long> upTo) {
        Map<String, Sent> last = new HashMap<>();
        Map<String, Integer> entries = new HashMap<>();
        for (int p = 0; p < sent.size(); p++) {
            long n = upTo.getOrDefault(p, 0L);
            for (int i = 0; i < n; i++) {
                Sent r = sent.get(p).get(i);
                Sent before = last.put(r.customerId(), r);
                if (before == null || !before.tier().equals(r.tier())) {
                    entries.merge(r.customerId(), 1, Integer::sum);
                }
            }
        }
        assertThat(s.customerCount()).isEqualTo(last.size());
        for (int c = 0; c < CUSTOMERS; c++) {
            String id = SyntheticSegments.customerId(c);
            Optional<StoredSegment> stored = s.get(id);
            Sent expected = last.get(id);
            if (expected == null) {
                assertThat(stored).as(id).isEmpty();
                assertThat(s.history(id, null, 100).items()).as(id).isEmpty();
                continue;
            }
            assertThat(stored).as(id).isPresent();
            assertThat(stored.get().segment().getAsOf().toEpochMilli()).as(id).isEqualTo(expected.asOf());
            assertThat(TierKey.of(stored.get().segment())).as(id).isEqualTo(expected.tier());
            List<HistoryEntry> history = s.history(id, null, 100).items();
            assertThat(history).as(id).hasSize(entries.get(id));
            assertThat(history.get(history.size() - 1).kind()).as(id).isEqualTo(HistoryEntry.FIRST_SEEN);
        }
    }

    /** Segment updates of random customers, each partition's asOf increasing; what was sent, per partition. */
    private static List<List<Sent>> produce(String topic) {
        Random r = new Random(11);
        Instant base = Instant.parse("2016-01-01T00:00:00Z");
        List<CustomerSegment> pool = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            pool.add(SyntheticSegments.random("P" + i, r, base));
        }
        List<List<Sent>> sent = List.of(new ArrayList<>(), new ArrayList<>());
        try (KafkaProducer<byte[], byte[]> p = SampleProducer.producer(SharedLocalKafka.bootstrapServers())) {
            for (int i = 0; i < UPDATES; i++) {
                int c = r.nextInt(CUSTOMERS);
                String id = SyntheticSegments.customerId(c);
                CustomerSegment seg = pool.get(r.nextInt(pool.size()));
                seg.setCustomerId(id);
                seg.setAsOf(base.plusSeconds(i));
                byte[] value = AvroCodec.encode(seg);
                int partition = c % 2;
                sent.get(partition).add(new Sent(id, seg.getAsOf().toEpochMilli(), TierKey.of(seg)));
                p.send(new ProducerRecord<>(topic, partition, id.getBytes(StandardCharsets.UTF_8), value));
            }
            p.flush();
        }
        return sent;
    }

    private Process start(Path store, String segmentsTopic, String alertsTopic, String name) throws IOException {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Djava.io.tmpdir=" + TestWork.target().resolve("tmp"), "-cp", System.getProperty("java.class.path"),
                "io.gridtier.tierservice.TierService", "run", "--store", store.toString(), "--port", "0",
                "--bootstrap-servers", SharedLocalKafka.bootstrapServers(), "--segments-topic", segmentsTopic,
                "--alerts-topic", alertsTopic, "--block-cache-mb", "64", "--access-log", "false", "--log-key", "test");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(work.resolve(name + ".log").toFile());
        pb.environment().put("GRIDTIER_TIER_TOKENS_INLINE", TestTokens.INLINE);
        return pb.start();
    }

    /**
     * Whether RocksDB's log reports the result of a flush of the segments installed in the store's manifest (the
     * level summary comes after that; the "flush_finished" event of an atomic flush comes before it).
     */
    private static boolean flushed(Path store) {
        return read(store.resolve("LOG")).contains("[versions] Level summary");
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
