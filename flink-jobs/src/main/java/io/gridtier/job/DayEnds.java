package io.gridtier.job;

import org.apache.flink.api.common.accumulators.Accumulator;

import java.io.Serializable;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * The accumulator {@value #NAME}: per day end (timer timestamp) the evaluations of every subtask summed
 * and the longest subtask's wall time, the day end's wall time when subtasks run side by side. Keeps the
 * latest {@value #KEPT} day ends, so a long-running job's accumulator stays small. Read by the bench from
 * the job's result; shown in Flink's web UI.
 */
public final class DayEnds implements Accumulator<DayEnds.DayEnd, DayEnds.Value> {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "gridtier-day-ends";
    static final int KEPT = 32;

    /** One subtask's finished day end. */
    public record DayEnd(long timestamp, long evaluations, long nanos) implements Serializable {
        DayEnd merge(DayEnd other) {
            return new DayEnd(timestamp, evaluations + other.evaluations, Math.max(nanos, other.nanos));
        }

        /** Evaluations a second over the day end's wall time. */
        public double evaluationsPerSecond() {
            return nanos == 0 ? Double.NaN : evaluations * 1e9 / nanos;
        }
    }

    /** The day ends by timestamp, oldest first. */
    public static final class Value implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Replaced, never changed: Flink serialises accumulators on another thread than the task's. */
        private volatile TreeMap<Long, DayEnd> byTimestamp = new TreeMap<>();

        void add(DayEnd d) {
            TreeMap<Long, DayEnd> next = new TreeMap<>(byTimestamp);
            next.merge(d.timestamp(), d, DayEnd::merge);
            while (next.size() > KEPT) {
                next.pollFirstEntry();
            }
            byTimestamp = next;
        }

        public Iterable<DayEnd> dayEnds() {
            return byTimestamp.values();
        }

        /** The day end with the most evaluations (the latest of equals), or null. */
        public DayEnd largest() {
            DayEnd best = null;
            for (DayEnd d : byTimestamp.values()) {
                if (best == null || d.evaluations() >= best.evaluations()) {
                    best = d;
                }
            }
            return best;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder();
            for (Map.Entry<Long, DayEnd> e : byTimestamp.entrySet()) { // one snapshot of the map
                s.append(s.isEmpty() ? "" : ", ").append(Instant.ofEpochMilli(e.getKey())).append(": ")
                        .append(e.getValue().evaluations()).append(" evaluations in ")
                        .append(e.getValue().nanos() / 1_000_000).append(" ms");
            }
            return s.toString();
        }
    }

    private Value value = new Value();

    @Override
    public void add(DayEnd d) {
        value.add(d);
    }

    @Override
    public Value getLocalValue() {
        return value;
    }

    @Override
    public void resetLocal() {
        value = new Value();
    }

    @Override
    public void merge(Accumulator<DayEnd, Value> other) {
        for (DayEnd d : other.getLocalValue().dayEnds()) {
            value.add(d);
        }
    }

    @Override
    public DayEnds clone() {
        DayEnds copy = new DayEnds();
        for (DayEnd d : value.dayEnds()) {
            copy.add(d);
        }
        return copy;
    }
}
