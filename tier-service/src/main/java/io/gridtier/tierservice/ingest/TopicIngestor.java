package io.gridtier.tierservice.ingest;

import io.gridtier.tierservice.metrics.ServiceMetrics;
import io.gridtier.tierservice.store.AvroCodec;
import io.gridtier.tierservice.store.SegmentStore;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.rocksdb.RocksDBException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Keeps the store up to date with the segments and alerts topics. It assigns itself every partition of both
 * topics (no consumer group: the offsets live in the store, written atomically with the data they produced),
 * starts each partition at the stored offset or, for a new or lost store, at the beginning, and reads with
 * {@code isolation.level=read_committed} so that only what the job committed is shown.
 *
 * <p>Two threads: one polls Kafka (fetching, decompressing, parsing) and decodes and checks the records, then
 * hands the batches over a short bounded queue to the other, which files them in the store, so both cores work
 * while catching up. A store write failure is fatal (the view would silently diverge): the status turns FAILED and
 * health reports it. Kafka trouble is not: once the queued batches are written, the consumer is rebuilt and
 * resumes from the stored offsets.
 */
public final class TopicIngestor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TopicIngestor.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final long END_OFFSETS_EVERY_MS = 2_000;
    private static final long PARTITION_CHECK_EVERY_MS = 30_000;
    /** A retention sweep starts once the view has caught up, then this long after the previous one ended. */
    private static final long PRUNE_EVERY_MS = 3_600_000;
    /** Customers per pruning slice: a few milliseconds of the writer's time between two batches. */
    private static final int PRUNE_SLICE = 500;
    /** While a sweep runs, one slice at least every this many batches, so that a busy view still prunes. */
    private static final int PRUNE_EVERY_BATCHES = 8;
    /** Why a record is skipped (the label {@code reason} of tier_service_records_skipped_total). */
    private static final List<String> SKIP_REASONS = List.of("undecodable", "invalid_customer_id", "tombstone");

    private final Map<String, Object> consumerProps;
    private final String segmentsTopic;
    private final String alertsTopic;
    private final SegmentStore store;
    /** How far back each customer's history and versions are kept; null: everything. */
    private final Duration historyRetention;
    private final ViewStatus status;
    private final ServiceMetrics metrics;
    private final Thread thread;
    private final Thread writer;
    private final BlockingQueue<Polled> queue = new ArrayBlockingQueue<>(4);
    /** Batches polled and not yet written, and the records in them. */
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong inFlightRecords = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean writerFailed;
    /**
     * Off while catching up: batches are then written without RocksDB's write-ahead log (a crash loses only what
     * was not flushed yet, data and offsets together, and those records are read again). Turned on, after a flush,
     * once caught up, so that live updates survive a crash as soon as they are written.
     */
    private volatile boolean durableWrites;
    private volatile KafkaConsumer<byte[], byte[]> consumer;

    private final Map<TopicPartition, Long> endOffsets = new HashMap<>();
    private Map<TopicPartition, Long> catchUpTargets;
    private long startedAtMillis;
    private long startedProcessCpuNanos;
    private final AtomicLong appliedSinceStart = new AtomicLong();
    private long lastEndOffsetsAt;
    private long lastPartitionCheckAt;
    /** Writer thread only: the running retention sweep (its next customer id), and when the next one is due. */
    private boolean sweeping;
    private byte[] sweepFrom;
    private long nextSweepAt;
    private long sweepStartedAt;
    private long sweepHistory;
    private long sweepVersions;
    private int batchesSinceSlice;

    public TopicIngestor(String bootstrapServers, String segmentsTopic, String alertsTopic,
                         Map<String, String> consumerOverrides, Duration historyRetention, SegmentStore store,
                         ViewStatus status, ServiceMetrics metrics) {
        this.segmentsTopic = segmentsTopic;
        this.historyRetention = historyRetention;
        this.alertsTopic = alertsTopic;
        this.store = store;
        this.status = status;
        this.metrics = metrics;
        Map<String, Object> p = new HashMap<>();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 << 20);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 64 << 20);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "gridtier-tier-service");
        p.putAll(consumerOverrides);
        this.consumerProps = Map.copyOf(p);
        this.thread = new Thread(this::run, "tier-ingestor");
        this.thread.setDaemon(true);
        this.writer = new Thread(this::write, "tier-store-writer");
        this.writer.setDaemon(true);
        // every skip counter starts at 0, so that the first skip is an increase an alert rule can see
        for (String topic : List.of(segmentsTopic, alertsTopic)) {
            metrics.expectSkips(topic, SKIP_REASONS);
        }
    }

    public void start() {
        startedAtMillis = System.currentTimeMillis();
        writer.start();
        thread.start();
    }

    /** The writer thread: files each polled batch, with its offsets, in one atomic store write. */
    private void write() {
        try (SegmentStore.Batch batch = store.newBatch()) {
            while (running) {
                Polled polled;
                try {
                    polled = sweeping ? queue.poll() : queue.poll(100, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (polled == null) {
                    try {
                        prune();
                    } catch (RuntimeException e) {
                        LOG.error("pruning the store failed; the view stops here (restart the service)", e);
                        status.failed("store: " + e.getMessage());
                        writerFailed = true;
                        running = false;
                        return;
                    }
                    continue;
                }
                try {
                    apply(batch, polled);
                    if (sweeping && ++batchesSinceSlice >= PRUNE_EVERY_BATCHES) {
                        prune();
                    }
                } catch (SegmentStore.StoreException e) {
                    LOG.error("The store cannot be written; the view stops here (restart the service): {}", e.getMessage(), e);
                    status.failed("store: " + e.getMessage());
                    writerFailed = true;
                    running = false;
                    return;
                } catch (RuntimeException e) {
                    LOG.error("writing to the store failed unexpectedly; the view stops here (restart the service)", e);
                    status.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
                    writerFailed = true;
                    running = false;
                    return;
                } finally {
                    inFlightRecords.addAndGet(-polled.records);
                    inFlight.decrementAndGet();
                }
            }
        }
    }

    /**
     * One slice of the retention sweep, on the writer thread between batches (so it never races a batch on the
     * same customer): starts a sweep when one is due and the view has caught up, goes on with the running one.
     */
    private void prune() {
        batchesSinceSlice = 0;
        if (historyRetention == null || !status.ready()) {
            return;
        }
        long now = System.currentTimeMillis();
        if (!sweeping) {
            if (now < nextSweepAt) {
                return;
            }
            sweeping = true;
            sweepFrom = null;
            sweepStartedAt = now;
            sweepHistory = 0;
            sweepVersions = 0;
        }
        SegmentStore.PruneResult r = store.prune(historyRetention, sweepFrom, PRUNE_SLICE);
        metrics.pruned(r.historyEntries(), r.versions());
        sweepHistory += r.historyEntries();
        sweepVersions += r.versions();
        if (r.next() == null) {
            sweeping = false;
            long end = System.currentTimeMillis();
            nextSweepAt = end + PRUNE_EVERY_MS;
            metrics.pruneSweepDone();
            LOG.info("retention sweep ({} back from each customer's newest event): {} timeline entries and {} versions "
                    + "removed in {} ms", historyRetention, sweepHistory, sweepVersions, end - sweepStartedAt);
        } else {
            sweepFrom = r.next();
        }
    }

    /** Hands a batch to the writer, waiting while the queue is full; false when stopping. */
    private boolean handOver(Polled polled) {
        inFlight.incrementAndGet();
        inFlightRecords.addAndGet(polled.records);
        try {
            while (!queue.offer(polled, 100, TimeUnit.MILLISECONDS)) {
                if (!running) {
                    return false;
                }
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
            return false;
        }
    }

    /** Waits until every handed-over batch is written (before seeking a new consumer to the stored offsets). */
    private void drain() {
        while (running && inFlight.get() > 0) {
            pause(10);
        }
    }

    private void run() {
        startedProcessCpuNanos = processCpuNanos();
        while (running) {
            drain();
            try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(consumerProps, new ByteArrayDeserializer(),
                    new ValueDeserializer(segmentsTopic))) {
                consumer = c;
                endOffsets.clear();
                consume(c);
            } catch (WakeupException | InterruptException e) {
                if (running) {
                    LOG.warn("ingestor interrupted; restarting the consumer");
                }
            } catch (SegmentStore.StoreException e) {
                LOG.error("The store cannot be written; the view stops here (restart the service): {}", e.getMessage(), e);
                status.failed("store: " + e.getMessage());
                return;
            } catch (KafkaException e) {
                LOG.warn("Kafka consumer failed ({}); rebuilding it and resuming from the stored offsets", e.toString());
                pause(1000);
            } catch (RuntimeException | Error e) {
                // an Error too: a thread that dies silently leaves a view that looks healthy and never moves again
                LOG.error("ingestor failed unexpectedly; the view stops here (restart the service)", e);
                status.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
                return;
            } finally {
                consumer = null;
            }
        }
        if (!writerFailed) {
            status.phase(ViewStatus.Phase.STOPPED);
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> c) {
        Set<TopicPartition> assigned = new HashSet<>();
        while (running) {
            long now = System.currentTimeMillis();
            if (catchUpTargets == null || assigned.isEmpty() || now - lastPartitionCheckAt > PARTITION_CHECK_EVERY_MS) {
                lastPartitionCheckAt = now;
                Set<TopicPartition> all = discover(c);
                if (all == null) {
                    if (!status.ready()) {
                        status.phase(ViewStatus.Phase.WAITING_FOR_TOPICS);
                    }
                    pause(1000);
                    continue;
                }
                if (!all.equals(assigned)) {
                    assign(c, all, assigned);
                    assigned = all;
                }
            }
            ConsumerRecords<byte[], byte[]> records = c.poll(POLL);
            if (!records.isEmpty() && !handOver(prepare(records))) {
                return;
            }
            updateLag(c, assigned, records.isEmpty());
        }
    }

    /** Every partition of both topics, or null while either topic does not exist (or the broker is away). */
    private Set<TopicPartition> discover(KafkaConsumer<byte[], byte[]> c) {
        Set<TopicPartition> all = new HashSet<>();
        for (String topic : List.of(segmentsTopic, alertsTopic)) {
            List<PartitionInfo> infos;
            try {
                infos = c.partitionsFor(topic, Duration.ofSeconds(5));
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.info("waiting for the broker at {}", consumerProps.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG));
                return null;
            }
            if (infos == null || infos.isEmpty()) {
                LOG.info("waiting for topic {} to exist", topic);
                return null;
            }
            infos.forEach(i -> all.add(new TopicPartition(i.topic(), i.partition())));
        }
        status.contact(System.currentTimeMillis());
        return all;
    }

    private void assign(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> all, Set<TopicPartition> before) {
        c.assign(all);
        Map<TopicPartition, Long> stored = store.offsets();
        for (TopicPartition tp : all) {
            if (before.contains(tp)) {
                continue;
            }
            Long next = stored.get(tp);
            if (next == null) {
                c.seekToBeginning(List.of(tp));
            } else {
                c.seek(tp, next);
            }
        }
        LOG.info("reading {} partitions of {} and {} ({} resumed from the store)", all.size(), segmentsTopic,
                alertsTopic, all.stream().filter(stored::containsKey).count());
        if (catchUpTargets == null) {
            catchUpTargets = new HashMap<>(c.endOffsets(all, Duration.ofSeconds(30)));
            endOffsets.putAll(catchUpTargets);
            lastEndOffsetsAt = System.currentTimeMillis();
            status.contact(lastEndOffsetsAt);
            status.phase(ViewStatus.Phase.CATCHING_UP);
            LOG.info("catching up to {} records behind", lagAgainst(c, catchUpTargets));
        } else {
            Set<TopicPartition> added = new HashSet<>(all);
            added.removeAll(before);
            endOffsets.putAll(c.endOffsets(added, Duration.ofSeconds(30)));
        }
    }

    /**
     * Values as byte arrays; a segment's is copied from the fetched records once, straight into an array with room
     * for the store's envelope header in front ({@link SegmentStore#segmentUpdateInPlace}), so that the array
     * read is the one stored.
     */
    private static final class ValueDeserializer implements Deserializer<byte[]> {
        private final String segmentsTopic;

        ValueDeserializer(String segmentsTopic) {
            this.segmentsTopic = segmentsTopic;
        }

        @Override
        public byte[] deserialize(String topic, byte[] data) {
            if (data == null || !topic.equals(segmentsTopic)) {
                return data;
            }
            byte[] out = new byte[SegmentStore.ENVELOPE_HEADER + data.length];
            System.arraycopy(data, 0, out, SegmentStore.ENVELOPE_HEADER, data.length);
            return out;
        }

        @Override
        public byte[] deserialize(String topic, Headers headers, ByteBuffer data) {
            if (data == null) {
                return null;
            }
            int header = topic.equals(segmentsTopic) ? SegmentStore.ENVELOPE_HEADER : 0;
            byte[] out = new byte[header + data.remaining()];
            data.duplicate().get(out, header, data.remaining());
            return out;
        }
    }

    /** A polled batch, decoded and checked on the polling thread, with the next offset of each partition. */
    private record Polled(List<SegmentStore.Update> updates, Map<TopicPartition, Long> next, int records,
                          long segments, long alerts) {
    }

    /**
     * Decodes and checks a polled batch on the polling thread, so that the single writer only reads heads and
     * writes. Unusable records are counted here; their offsets advance with the batch.
     */
    private Polled prepare(ConsumerRecords<byte[], byte[]> records) {
        List<SegmentStore.Update> updates = new ArrayList<>(records.count());
        Map<TopicPartition, Long> next = new HashMap<>();
        long segments = 0;
        long alerts = 0;
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            boolean isSegments = tp.topic().equals(segmentsTopic);
            for (ConsumerRecord<byte[], byte[]> r : list) {
                String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                try {
                    SegmentStore.Update u = isSegments
                            ? SegmentStore.segmentUpdateInPlace(key, r.value(), r.timestamp())
                            : SegmentStore.alertUpdate(key, r.value());
                    if (u == null) {
                        String reason = r.value() == null ? "tombstone" : "invalid_customer_id";
                        metrics.skipped(tp.topic(), reason);
                        LOG.warn("skipped {}-{}@{}: {}", tp.topic(), r.partition(), r.offset(), reason.equals("tombstone")
                                ? "a tombstone, and no customer to remove" : "its customer id does not match "
                                + io.gridtier.wire.CustomerIds.PATTERN + " or differs from the record's key");
                    } else {
                        updates.add(u);
                        if (isSegments) {
                            segments++;
                        } else {
                            alerts++;
                        }
                    }
                } catch (AvroCodec.MalformedRecordException e) {
                    metrics.skipped(tp.topic(), "undecodable");
                    LOG.warn("skipped {}-{}@{}: {}", tp.topic(), r.partition(), r.offset(), e.getMessage());
                }
            }
            if (!list.isEmpty()) {
                next.put(tp, list.get(list.size() - 1).offset() + 1);
            }
        }
        return new Polled(updates, next, records.count(), segments, alerts);
    }

    private void apply(SegmentStore.Batch batch, Polled polled) {
        long started = System.nanoTime();
        try {
            batch.writeAheadLog(durableWrites);
            batch.apply(polled.updates, System.currentTimeMillis());
            for (Map.Entry<TopicPartition, Long> e : polled.next.entrySet()) {
                batch.offset(e.getKey(), e.getValue());
            }
            batch.commit();
        } catch (RocksDBException e) {
            throw new SegmentStore.StoreException("write failed: " + e.getMessage(), e);
        }
        metrics.applied(segmentsTopic, polled.segments);
        metrics.applied(alertsTopic, polled.alerts);
        metrics.batch((System.nanoTime() - started) / 1e9);
        appliedSinceStart.addAndGet(polled.records);
    }

    private void updateLag(KafkaConsumer<byte[], byte[]> c, Set<TopicPartition> assigned, boolean idle) {
        long now = System.currentTimeMillis();
        // while records flow, the fetch responses carry the lag; when idle, ask the broker now and then, which
        // also tells whether it is still there
        if (now - lastEndOffsetsAt > (idle ? 500 : END_OFFSETS_EVERY_MS)) {
            try {
                endOffsets.putAll(c.endOffsets(assigned, Duration.ofSeconds(5)));
                status.contact(now);
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.debug("end offsets not available: {}", e.getMessage());
            }
            lastEndOffsetsAt = now;
        }
        Map<TopicPartition, Long> lag = new HashMap<>();
        long total = 0;
        for (TopicPartition tp : assigned) {
            OptionalLong current = c.currentLag(tp);
            long l;
            if (current.isPresent()) {
                l = current.getAsLong();
            } else {
                Long end = endOffsets.get(tp);
                l = end == null ? 0 : Math.max(0, end - c.position(tp, Duration.ofSeconds(5)));
            }
            lag.put(tp, l);
            total += l;
        }
        // polled but not yet written counts as behind too
        status.lag(lag, total + inFlightRecords.get());
        if (!status.ready() && catchUpTargets != null && inFlight.get() == 0 && caughtUp(c)) {
            // the writer is idle (nothing in flight, and nothing is handed over before this returns): persist what
            // it wrote without the log, then log from the next batch on
            store.flush();
            durableWrites = true;
            now = System.currentTimeMillis();
            long millis = now - startedAtMillis;
            long pollCpu = threadCpuNanos(thread) / 1_000_000;
            long writeCpu = threadCpuNanos(writer) / 1_000_000;
            long threadCpu = pollCpu + writeCpu;
            long processCpu = (processCpuNanos() - startedProcessCpuNanos) / 1_000_000;
            long applied = appliedSinceStart.get();
            status.caughtUp(applied, millis, threadCpu, processCpu);
            status.phase(ViewStatus.Phase.CAUGHT_UP);
            store.collectBlobGarbage(true);
            LOG.info("caught up with the topics: {} records applied in {} ms ({} records/s; CPU {} ms polling, {} ms "
                            + "writing, {} ms in the whole process); {} customers in the view", applied, millis,
                    millis == 0 ? 0 : applied * 1000 / millis, pollCpu, writeCpu, processCpu, store.customerCount());
        }
    }

    private boolean caughtUp(KafkaConsumer<byte[], byte[]> c) {
        for (Map.Entry<TopicPartition, Long> target : catchUpTargets.entrySet()) {
            if (c.position(target.getKey(), Duration.ofSeconds(5)) < target.getValue()) {
                return false;
            }
        }
        return true;
    }

    private long lagAgainst(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> ends) {
        long total = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            total += Math.max(0, e.getValue() - c.position(e.getKey(), Duration.ofSeconds(30)));
        }
        return total;
    }

    private static long threadCpuNanos(Thread t) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.isThreadCpuTimeSupported() ? Math.max(0, mx.getThreadCpuTime(t.getId())) : 0;
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /** Stops reading and waits for the thread, so that no batch is half applied when the store closes. */
    @Override
    public void close() {
        running = false;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        try {
            thread.join(15_000);
            writer.join(15_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive() || writer.isAlive()) {
            LOG.warn("the ingestor did not stop within 15 s");
        }
        if (!writerFailed) {
            status.phase(ViewStatus.Phase.STOPPED);
        }
    }

    /** Records applied since start (the catch-up rate is this over the time to catch up). */
    public long appliedSinceStart() {
        return appliedSinceStart.get();
    }
}
