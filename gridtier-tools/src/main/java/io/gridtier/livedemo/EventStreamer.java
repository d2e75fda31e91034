package io.gridtier.livedemo;

import io.gridtier.config.JobConfig;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.schema.BillingEvent;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Streams a population's {@code events.jsonl} into the three input topics as Avro binary, in the
 * file's (arrival) order, paced by a simulated clock: the clock is the largest event time sent so
 * far, and a record that moves it forward waits until the wall clock has caught up at
 * {@code daysPerSecond} simulated days per second (late and re-sent records, whose event time is
 * behind the clock, go at once). Bills and payments travel in their {@link BillingEvent} envelope;
 * a line that does not decode goes as its raw bytes to the readings topic, to become a dead letter.
 *
 * <p>The job must never fall far behind: with a backlog its source reads the small topics (bills,
 * payments, profiles) far ahead of the readings, the watermark jumps, and readings become TOO_LATE.
 * So the streamer pauses while the job's input lag (end offsets less the offsets its consumer group
 * committed at the last checkpoint) exceeds a few checkpoint intervals' worth of records, and after a
 * pause it continues at the set pace instead of catching up.
 *
 * <p>How many lines were sent (and the clock) is kept in {@code producer.offset}, written after each
 * producer flush, so a re-run continues after the last line known to be acknowledged.
 */
public final class EventStreamer implements Runnable {
    private final Path events;
    private final Path offsetFile;
    private final JobConfig config;
    private final Properties client;
    private final SimulatedPace pace;

    private final AtomicLong lineNumber = new AtomicLong();
    private final AtomicLong sentThisRun = new AtomicLong();
    private final AtomicLong badLinesThisRun = new AtomicLong();
    private volatile long clockMillis = Long.MIN_VALUE;
    private volatile long clockAtStart = Long.MIN_VALUE;
    private volatile long linesAtStart;
    private volatile boolean stopping;
    private volatile boolean finished;
    private volatile Throwable failure;
    private volatile long jobLag = -1;
    private volatile long pauses;
    private final long checkpointMillis;
    /** simulated time → wall time when the clock first reached it; for the latency estimate. */
    private final EventClock clockReachedAt = new EventClock();

    public EventStreamer(Path events, Path offsetFile, JobConfig config, double daysPerSecond) {
        this.events = events;
        this.offsetFile = offsetFile;
        this.config = config;
        this.client = KafkaClientProperties.of(config);
        this.pace = new SimulatedPace(daysPerSecond);
        this.checkpointMillis = config.checkpointInterval().toMillis();
    }

    @Override
    public void run() {
        try {
            stream();
        } catch (Throwable t) {
            failure = t;
        }
    }

    private void stream() throws Exception {
        long[] saved = readOffset();
        long skip = saved[0];
        linesAtStart = skip;
        if (saved[1] != Long.MIN_VALUE) {
            clockMillis = saved[1];
            clockAtStart = saved[1];
        }
        Properties p = new Properties();
        p.putAll(client);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        p.put("linger.ms", "20");
        InputEncoder encoder = new InputEncoder(config);
        long lastFlush = System.currentTimeMillis();
        long lastLagCheck = 0;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8);
             Admin admin = Admin.create(client);
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            List<TopicPartition> inputs = inputPartitions(admin);
            pace.start(clockMillis, System.currentTimeMillis());
            long simOrigin = clockMillis; // not moved by a new pace: the lines-per-day estimate of maxLag
            String line;
            while (!stopping && (line = in.readLine()) != null) {
                long n = lineNumber.incrementAndGet();
                if (n <= skip) {
                    continue;
                }
                if (line.isBlank()) {
                    continue;
                }
                InputEncoder.Encoded e = encoder.encodeLine(line);
                String topic = e.topic();
                byte[] key = e.key();
                byte[] value = e.value();
                long eventTime = e.eventTime();
                if (e.isBadLine()) {
                    badLinesThisRun.incrementAndGet();
                }
                if (eventTime > clockMillis) {
                    if (simOrigin == Long.MIN_VALUE) {
                        simOrigin = eventTime;
                        clockAtStart = eventTime;
                    }
                    long due = pace.due(eventTime, clockMillis, System.currentTimeMillis());
                    for (long now = System.currentTimeMillis(); now < due && !stopping; now = System.currentTimeMillis()) {
                        if (now - lastFlush >= 1000) {
                            producer.flush();
                            writeOffset(n - 1, clockMillis);
                            lastFlush = now;
                        }
                        Thread.sleep(Math.min(due - now, 200));
                    }
                    if (stopping) {
                        lineNumber.decrementAndGet();
                        break;
                    }
                    clockMillis = eventTime;
                    clockReachedAt.sent(eventTime, System.currentTimeMillis());
                }
                if (System.currentTimeMillis() - lastLagCheck >= 1000) {
                    long limit = maxLag(simOrigin);
                    jobLag = lag(admin, inputs);
                    boolean paused = false;
                    while (jobLag > limit && !stopping) {
                        paused = true;
                        producer.flush();
                        writeOffset(n - 1, clockMillis);
                        Thread.sleep(500);
                        jobLag = lag(admin, inputs);
                    }
                    if (paused) {
                        pauses++;
                    }
                    lastLagCheck = System.currentTimeMillis();
                }
                producer.send(new ProducerRecord<>(topic, key, value));
                sentThisRun.incrementAndGet();
                long now = System.currentTimeMillis();
                if (now - lastFlush >= 1000) {
                    producer.flush();
                    writeOffset(n, clockMillis);
                    lastFlush = now;
                }
            }
            producer.flush();
            writeOffset(lineNumber.get(), clockMillis);
            finished = !stopping;
            // all sent: keep the job's lag current for the summary until the demo stops
            while (!stopping) {
                jobLag = lag(admin, inputs);
                Thread.sleep(1000);
            }
        }
    }

    /** Records the job may lag behind: about three checkpoint intervals of production at the set pace. */
    private long maxLag(long simStart) {
        double simDays = (clockMillis - simStart) / 86_400_000d;
        double linesPerDay = simStart == Long.MIN_VALUE || simDays < 1 ? 1000 : sentThisRun.get() / simDays;
        double perSecond = linesPerDay * pace.daysPerSecond();
        return Math.max(2000, (long) (perSecond * (3 * checkpointMillis + 2000) / 1000d));
    }

    private List<TopicPartition> inputPartitions(Admin admin) throws Exception {
        List<TopicPartition> parts = new ArrayList<>();
        List<String> topics = List.of(config.meterReadingsTopic(), config.customerProfilesTopic(), config.billingEventsTopic());
        admin.describeTopics(topics).allTopicNames().get(60, TimeUnit.SECONDS).forEach((name, d) ->
                d.partitions().forEach(info -> parts.add(new TopicPartition(name, info.partition()))));
        return parts;
    }

    /** The job's input lag in records: end offsets less what its group committed (nothing committed: 0). */
    private long lag(Admin admin, List<TopicPartition> parts) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        parts.forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        var ends = admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.kafkaGroupId())
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        long lag = 0;
        for (TopicPartition tp : parts) {
            OffsetAndMetadata c = committed.get(tp);
            lag += Math.max(0, ends.get(tp).offset() - (c == null ? 0 : c.offset()));
        }
        return lag;
    }

    /** Streams at this pace from the next event on (simulated days per wall-clock second). */
    public void setDaysPerSecond(double daysPerSecond) {
        pace.setDaysPerSecond(daysPerSecond);
    }

    /** The job's input lag at the last check (records; -1 before the first). */
    public long jobLag() {
        return jobLag;
    }

    /** How many times the streamer paused for the job to catch up. */
    public long pauses() {
        return pauses;
    }

    private long[] readOffset() throws IOException {
        long lines = 0;
        long clock = Long.MIN_VALUE;
        if (Files.isRegularFile(offsetFile)) {
            for (String l : Files.readAllLines(offsetFile, StandardCharsets.UTF_8)) {
                String[] kv = l.strip().split("=", 2);
                if (kv.length == 2 && kv[0].equals("lines")) {
                    lines = Long.parseLong(kv[1].strip());
                } else if (kv.length == 2 && kv[0].equals("clockMillis")) {
                    clock = Long.parseLong(kv[1].strip());
                }
            }
        }
        return new long[] {lines, clock};
    }

    private void writeOffset(long lines, long clock) throws IOException {
        Path tmp = offsetFile.resolveSibling(offsetFile.getFileName() + ".tmp");
        Files.writeString(tmp, "# lines of " + events.getFileName() + " sent and acknowledged; the simulated clock reached\n"
                + "lines=" + lines + "\nclockMillis=" + clock + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, offsetFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Asks the streamer to stop after the record in hand; it flushes and saves its offset. */
    public void stop() {
        stopping = true;
    }

    public long sentThisRun() {
        return sentThisRun.get();
    }

    public long badLinesThisRun() {
        return badLinesThisRun.get();
    }

    /** Lines of the file passed (sent in this or an earlier run). */
    public long linesDone() {
        return Math.max(lineNumber.get(), linesAtStart);
    }

    public long linesAtStart() {
        return linesAtStart;
    }

    /** The simulated clock (largest event time sent), or Long.MIN_VALUE before the first record. */
    public long clockMillis() {
        return clockMillis;
    }

    public long clockAtStart() {
        return clockAtStart;
    }

    public boolean finished() {
        return finished;
    }

    public Throwable failure() {
        return failure;
    }

    /** Wall time at which the producer's clock reached {@code simMillis} or beyond, or -1 (not yet). */
    public long clockReached(long simMillis) {
        return clockReachedAt.firstSentAfter(simMillis - 1);
    }
}
