package io.gridtier.livedemo;

import io.gridtier.config.JobConfig;
import io.gridtier.kafka.KafkaClientProperties;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads the job's three outputs ({@link OutputTopicsReader}) and keeps what the summary shows: the latest segment per
 * customer, alerts by type (de-duplicated by alert id), dead letters by reason, and the
 * event-to-alert latency of the alerts this run caused.
 *
 * <p><b>Latency</b> is an approximation: an alert about the end of day D can only be committed after
 * the watermark passed D's end, i.e. after a record with event time ≥ alert.eventTime +
 * watermarks.maxOutOfOrderness was produced. The latency is the wall time from the producer's first
 * such record (when its simulated clock reached that time) to the moment this consumer read the
 * committed alert; so it includes the job's processing, the wait for the checkpoint that commits
 * the alert's transaction, and this consumer's poll.
 */
public final class OutputWatcher implements Runnable {
    public record Latest(String customerId, String tier, String churn, boolean potential, long asOf) {
    }

    public record AlertSeen(SegmentAlert alert, long readAt, Long latencyMillis) {
    }

    private final EventStreamer streamer;
    private final long outOfOrderMillis;
    private final OutputTopicsReader reader;

    private final Map<String, Latest> latest = new ConcurrentHashMap<>();
    private final Map<String, Long> alertsByType = new ConcurrentHashMap<>();
    private final Map<String, Long> deadByReason = new ConcurrentHashMap<>();
    private final Set<String> alertIds = new HashSet<>();
    private final Deque<AlertSeen> recentAlerts = new ArrayDeque<>();
    /** How many of the latest latencies the live summary shows. */
    private static final int RECENT = 500;
    private volatile long segmentsRead;
    private volatile long maxAsOf = Long.MIN_VALUE;
    private volatile long latencyCount;
    private long[] allLatencies = new long[1024];
    private volatile long duplicateAlerts;

    public OutputWatcher(JobConfig config, EventStreamer streamer) {
        this.streamer = streamer;
        this.outOfOrderMillis = config.maxOutOfOrderness().toMillis();
        this.reader = new OutputTopicsReader(config, KafkaClientProperties.of(config), "gridtier-live-demo-summary", 2000,
                Duration.ofMillis(500), new OutputTopicsReader.Listener() {
                    @Override
                    public void onSegment(byte[] key, CustomerSegment segment, long readAtMillis) {
                        OutputWatcher.this.onSegment(key, segment);
                    }

                    @Override
                    public void onAlert(SegmentAlert alert, long readAtMillis) {
                        OutputWatcher.this.onAlert(alert, readAtMillis);
                    }

                    @Override
                    public void onDeadLetter(DeadLetter deadLetter, long readAtMillis) {
                        deadByReason.merge(String.valueOf(deadLetter.getReason()), 1L, Long::sum);
                    }

                    @Override
                    public void onUndecodable(ConsumerRecord<byte[], byte[]> record, Exception e) {
                        deadByReason.merge("(undecodable output)", 1L, Long::sum);
                    }
                });
    }

    @Override
    public void run() {
        reader.run();
    }

    private void onSegment(byte[] key, CustomerSegment s) {
        if (s == null) {
            if (key != null) {
                latest.remove(new String(key, StandardCharsets.UTF_8));
            }
            return;
        }
        long asOf = s.getAsOf().toEpochMilli();
        Latest previous = latest.get(s.getCustomerId());
        if (previous == null || previous.asOf() <= asOf) {
            latest.put(s.getCustomerId(), new Latest(s.getCustomerId(), String.valueOf(s.getValueTier()),
                    String.valueOf(s.getChurnRisk()), s.getPotentialKeyAccount(), asOf));
        }
        segmentsRead++;
        if (asOf > maxAsOf) {
            maxAsOf = asOf;
        }
    }

    private void onAlert(SegmentAlert a, long now) {
        synchronized (this) {
            if (!alertIds.add(a.getAlertId())) {
                // exactly-once output never shows an alert twice, across restarts and resumes included
                duplicateAlerts++;
                return;
            }
            alertsByType.merge(String.valueOf(a.getType()), 1L, Long::sum);
            Long latency = null;
            long trigger = a.getEventTime().toEpochMilli() + outOfOrderMillis;
            long startClock = streamer.clockAtStart();
            // only alerts this run's records caused: their trigger lies beyond where this run's clock began
            if (startClock != Long.MIN_VALUE && trigger > startClock) {
                long reached = streamer.clockReached(trigger);
                if (reached >= 0) {
                    latency = Math.max(0, now - reached);
                    if (latencyCount == allLatencies.length) {
                        allLatencies = java.util.Arrays.copyOf(allLatencies, allLatencies.length * 2);
                    }
                    allLatencies[(int) latencyCount++] = latency;
                }
            }
            recentAlerts.addLast(new AlertSeen(a, now, latency));
            if (recentAlerts.size() > 5) {
                recentAlerts.removeFirst();
            }
        }
    }

    public void stop() {
        reader.stop();
    }

    public Throwable failure() {
        return reader.failure();
    }

    /** Customers by their latest value tier (and, with the prefix "churn ", by churn risk; "potential" the flag). */
    public Map<String, Integer> tierCounts() {
        Map<String, Integer> counts = new TreeMap<>();
        for (Latest l : latest.values()) {
            counts.merge(l.tier(), 1, Integer::sum);
            counts.merge("churn " + l.churn(), 1, Integer::sum);
            if (l.potential()) {
                counts.merge("potential", 1, Integer::sum);
            }
        }
        return counts;
    }

    public int customers() {
        return latest.size();
    }

    public long segmentsRead() {
        return segmentsRead;
    }

    public long maxAsOf() {
        return maxAsOf;
    }

    public Map<String, Long> alertsByType() {
        return new TreeMap<>(alertsByType);
    }

    public Map<String, Long> deadLettersByReason() {
        return new TreeMap<>(deadByReason);
    }

    public synchronized List<AlertSeen> recentAlerts() {
        return new ArrayList<>(recentAlerts);
    }

    /** Latencies (ms) of up to the last 500 alerts of this run, sorted. */
    public synchronized long[] recentLatencies() {
        return sorted((int) Math.max(0, latencyCount - RECENT), (int) latencyCount);
    }

    /** Every latency measured in this run, sorted. */
    public synchronized long[] allLatencies() {
        return sorted(0, (int) latencyCount);
    }

    private long[] sorted(int from, int to) {
        long[] part = java.util.Arrays.copyOfRange(allLatencies, from, to);
        java.util.Arrays.sort(part);
        return part;
    }

    /** Alerts read again with an id already seen (0 unless the outputs were written twice). */
    public long duplicateAlerts() {
        return duplicateAlerts;
    }

    public synchronized long latencyCount() {
        return latencyCount;
    }
}
