package io.gridtier.tierservice.ingest;

import org.apache.kafka.common.TopicPartition;

import java.util.Map;

/**
 * How far the view is behind the topics, as the ingestor last saw it. Written by the ingestor thread, read by
 * request threads: every field is replaced whole.
 */
public final class ViewStatus {
    /** Where the ingestor is. */
    public enum Phase { STARTING, WAITING_FOR_TOPICS, CATCHING_UP, CAUGHT_UP, FAILED, STOPPED }

    private final long staleLagRecords;
    private final long staleAfterMillis;
    private volatile Phase phase = Phase.STARTING;
    private volatile boolean initialCatchUpDone;
    private volatile Map<TopicPartition, Long> lagByPartition = Map.of();
    private volatile long totalLag = -1;
    private volatile long lastContactMillis;
    private volatile long catchUpRecords;
    private volatile long catchUpMillis;
    private volatile long catchUpIngestCpuMillis;
    private volatile long catchUpProcessCpuMillis;
    private volatile String failure;

    public ViewStatus(long staleLagRecords, long staleAfterMillis) {
        this.staleLagRecords = staleLagRecords;
        this.staleAfterMillis = staleAfterMillis;
    }

    void phase(Phase phase) {
        this.phase = phase;
    }

    void lag(Map<TopicPartition, Long> lag, long total) {
        this.lagByPartition = Map.copyOf(lag);
        this.totalLag = total;
    }

    void contact(long nowMillis) {
        this.lastContactMillis = nowMillis;
    }

    void caughtUp(long records, long millis, long ingestCpuMillis, long processCpuMillis) {
        this.catchUpRecords = records;
        this.catchUpMillis = millis;
        this.catchUpIngestCpuMillis = ingestCpuMillis;
        this.catchUpProcessCpuMillis = processCpuMillis;
        this.initialCatchUpDone = true;
    }

    void failed(String reason) {
        this.failure = reason;
        this.phase = Phase.FAILED;
    }

    public Phase phase() {
        return phase;
    }

    /** Ready: the view has caught up with the topics once since start, and the ingestor still runs. */
    public boolean ready() {
        Phase p = phase;
        return initialCatchUpDone && p != Phase.FAILED && p != Phase.STOPPED;
    }

    /** The ingestor has died (the store could not be written): the process should be restarted. */
    public boolean failed() {
        return phase == Phase.FAILED;
    }

    public String failure() {
        return failure;
    }

    /** Records behind, over all partitions; -1 when not known yet. */
    public long totalLag() {
        return totalLag;
    }

    public Map<TopicPartition, Long> lagByPartition() {
        return lagByPartition;
    }

    public long lastContactMillis() {
        return lastContactMillis;
    }

    /** The answers may be out of date: not caught up, far behind, or the broker silent for a while. */
    public boolean stale(long nowMillis) {
        return !initialCatchUpDone || totalLag < 0 || totalLag > staleLagRecords
                || nowMillis - lastContactMillis > staleAfterMillis;
    }

    public long catchUpRecords() {
        return catchUpRecords;
    }

    public long catchUpMillis() {
        return catchUpMillis;
    }

    /** CPU time the polling and writing threads used to catch up (wall time is shared with whatever else runs). */
    public long catchUpIngestCpuMillis() {
        return catchUpIngestCpuMillis;
    }

    /** CPU time the whole process used while catching up (RocksDB flushes, the consumer's network thread...). */
    public long catchUpProcessCpuMillis() {
        return catchUpProcessCpuMillis;
    }
}
