package io.gridtier.drill;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.livedemo.OutputTopicsReader;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the drill compares: each customer's final segment, the set of alert ids (and how many alerts were read,
 * to count duplicates) and the dead letters by reason. Filled from the replay's files or, as a listener, from
 * the output topics.
 */
final class Outputs implements OutputTopicsReader.Listener {
    final Map<String, CustomerSegment> finalSegments = new ConcurrentHashMap<>();
    final Set<String> alertIds = ConcurrentHashMap.newKeySet();
    final AtomicLong alertsRead = new AtomicLong();
    final Map<String, Long> deadByReason = new ConcurrentSkipListMap<>();
    /** The input records (topic/partition/offset) dead-lettered so far, and how many of them came twice. */
    private final Set<String> deadSources = ConcurrentHashMap.newKeySet();
    final AtomicLong deadLettersTwice = new AtomicLong();
    /** When the last record was read (epoch ms), to tell settled outputs from outputs still coming. */
    volatile long lastReadAt = System.currentTimeMillis();

    /** The outputs of a bounded replay, from its segments.jsonl, alerts.jsonl and dead-letters.jsonl. */
    static Outputs ofReplay(Path dir, JsonLineCodec codec) throws IOException, BadRecordException {
        Outputs o = new Outputs();
        for (String line : Files.readAllLines(dir.resolve("segments.jsonl"), StandardCharsets.UTF_8)) {
            CustomerSegment s = (CustomerSegment) codec.decode(line, CustomerSegment.getClassSchema());
            o.finalSegments.put(s.getCustomerId(), s);
        }
        for (String line : Files.readAllLines(dir.resolve("alerts.jsonl"), StandardCharsets.UTF_8)) {
            o.onAlert((SegmentAlert) codec.decode(line, SegmentAlert.getClassSchema()), 0);
        }
        for (String line : Files.readAllLines(dir.resolve("dead-letters.jsonl"), StandardCharsets.UTF_8)) {
            o.onDeadLetter((DeadLetter) codec.decode(line, DeadLetter.getClassSchema()), 0);
        }
        return o;
    }

    @Override
    public void onSegment(byte[] key, CustomerSegment segment, long readAtMillis) {
        String customer = segment != null ? segment.getCustomerId() : new String(key, StandardCharsets.UTF_8);
        if (FaultDrill.CLOCK_CUSTOMER.equals(customer)) {
            return;
        }
        lastReadAt = readAtMillis;
        if (segment == null) {
            finalSegments.remove(customer);
        } else {
            finalSegments.put(customer, segment);
        }
    }

    @Override
    public void onAlert(SegmentAlert alert, long readAtMillis) {
        lastReadAt = readAtMillis;
        alertsRead.incrementAndGet();
        alertIds.add(alert.getAlertId());
    }

    @Override
    public void onDeadLetter(DeadLetter deadLetter, long readAtMillis) {
        lastReadAt = readAtMillis;
        deadByReason.merge(String.valueOf(deadLetter.getReason()), 1L, Long::sum);
        // an input record is its source, partition and offset (a replay's: the file and the line number)
        if (!deadSources.add(deadLetter.getSourceTopic() + "/" + deadLetter.getPartition() + "/" + deadLetter.getOffset())) {
            deadLettersTwice.incrementAndGet();
        }
    }

    long deadLetters() {
        return deadByReason.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Whether these outputs (read so far) are {@code expected}'s: every customer's final classification, the alert
     * ids and the number of dead letters. Not their reasons: a generated line that is JSON but misses a field is MISSING_FIELD to the replay,
     * which parses JSON, while the producer cannot encode it as Avro and sends its raw bytes, UNPARSEABLE to the job.
     */
    boolean matches(Outputs expected) {
        return classifications().equals(expected.classifications()) && alertIds.equals(expected.alertIds)
                && deadLetters() == expected.deadLetters();
    }

    /** Each customer's final classification ({@link #classification}). */
    Map<String, List<Object>> classifications() {
        Map<String, List<Object>> m = new TreeMap<>();
        finalSegments.forEach((k, v) -> m.put(k, classification(v)));
        return m;
    }

    /**
     * What a segment decides: category, value tier, churn risk, credit rating, the potential-key-account flag and
     * the treatment, without the scores' decimals and the day they were last emitted on.
     */
    static List<Object> classification(CustomerSegment s) {
        return List.of(String.valueOf(s.getCategory()), String.valueOf(s.getValueTier()), String.valueOf(s.getChurnRisk()),
                String.valueOf(s.getCreditRating()), s.getPotentialKeyAccount(), List.copyOf(s.getRecommendedActions()));
    }
}
