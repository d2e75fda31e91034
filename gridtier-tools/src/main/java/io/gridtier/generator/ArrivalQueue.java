package io.gridtier.generator;

import java.io.IOException;
import java.io.Writer;
import java.util.PriorityQueue;

/**
 * Puts lines in the order the utility's systems deliver them: by arrival time, which is the event time for
 * most lines and later for late upload batches, re-sends and corrections. A line waits here only until nothing
 * generated afterwards can arrive before it, so about one day of lines is held at a time.
 */
final class ArrivalQueue {
    /** Ordered by arrival, then event time, then the order generated (which makes ties deterministic). */
    private record Pending(long arrival, long eventTime, long seq, LineKind kind, String text)
            implements Comparable<Pending> {
        @Override
        public int compareTo(Pending other) {
            if (arrival != other.arrival) {
                return arrival < other.arrival ? -1 : 1;
            }
            if (eventTime != other.eventTime) {
                return eventTime < other.eventTime ? -1 : 1;
            }
            return Long.compare(seq, other.seq);
        }
    }

    private final PriorityQueue<Pending> pending = new PriorityQueue<>(8192);
    private final Writer out;
    private long seq;
    private long latestEventWritten = Long.MIN_VALUE;
    private final long[] counts = new long[LineKind.values().length];
    private long outOfOrderLines;
    private long maxLatenessMillis;
    private long maxCorrectionLatenessMillis;

    ArrivalQueue(Writer out) {
        this.out = out;
    }

    /** A line that arrives at its event time. */
    void add(LineKind kind, long eventTime, String text) {
        add(kind, eventTime, eventTime, text);
    }

    /** A line that arrives at {@code arrival}, never before its event time. */
    void add(LineKind kind, long eventTime, long arrival, String text) {
        if (arrival < eventTime) {
            throw new IllegalArgumentException("a line cannot arrive before its event time");
        }
        pending.add(new Pending(arrival, eventTime, seq++, kind, text));
    }

    /** Writes every line that arrives before {@code instant} (epoch millis). */
    void writeArrivedBefore(long instant) throws IOException {
        while (!pending.isEmpty() && pending.peek().arrival() < instant) {
            write(pending.poll());
        }
    }

    void writeAll() throws IOException {
        while (!pending.isEmpty()) {
            write(pending.poll());
        }
    }

    private void write(Pending line) throws IOException {
        out.write(line.text());
        out.write('\n');
        counts[line.kind().ordinal()]++;
        if (line.kind().isBad()) {
            return;
        }
        long lateness = latestEventWritten == Long.MIN_VALUE ? 0 : latestEventWritten - line.eventTime();
        if (lateness > 0) {
            if (line.kind() == LineKind.READING_CORRECTED) {
                maxCorrectionLatenessMillis = Math.max(maxCorrectionLatenessMillis, lateness);
            } else {
                outOfOrderLines++;
                maxLatenessMillis = Math.max(maxLatenessMillis, lateness);
            }
        } else {
            latestEventWritten = line.eventTime();
        }
    }

    long count(LineKind kind) {
        return counts[kind.ordinal()];
    }

    /** Lines written behind a later event time, corrections not included. */
    long outOfOrderLines() {
        return outOfOrderLines;
    }

    long maxLatenessMillis() {
        return maxLatenessMillis;
    }

    long maxCorrectionLatenessMillis() {
        return maxCorrectionLatenessMillis;
    }
}
