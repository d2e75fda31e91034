package io.gridtier.replay;

import io.gridtier.schema.CustomerSegment;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a replay produced: counts of outputs, the final segment of every customer and their tier
 * distribution, alerts by type and dead letters by reason.
 */
public record ReplaySummary(long segments, long alerts, long deadLetters, Map<String, CustomerSegment> finalSegments,
                            Map<String, Long> alertsByType, Map<String, Long> deadLettersByReason, double seconds) {

    public Map<String, Long> tierDistribution() {
        Map<String, Long> d = new TreeMap<>();
        finalSegments.values().forEach(s -> d.merge(s.getValueTier().name(), 1L, Long::sum));
        return d;
    }

    public Map<String, Long> churnDistribution() {
        Map<String, Long> d = new TreeMap<>();
        finalSegments.values().forEach(s -> d.merge(s.getChurnRisk().name(), 1L, Long::sum));
        return d;
    }

    public Map<String, Long> creditDistribution() {
        Map<String, Long> d = new TreeMap<>();
        finalSegments.values().forEach(s -> d.merge(s.getCreditRating().name(), 1L, Long::sum));
        return d;
    }

    public long potentialKeyAccounts() {
        return finalSegments.values().stream().filter(CustomerSegment::getPotentialKeyAccount).count();
    }

    /** Customers by the model version their latest segment names. */
    public Map<String, Long> finalModels() {
        return finalSegments.values().stream().collect(java.util.stream.Collectors.groupingBy(
                CustomerSegment::getModelVersion, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
    }

    /** A short human report. */
    public String report() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Replay finished in %.1f s: %,d segment changes, %,d alerts, %,d dead letters.%n",
                seconds, segments, alerts, deadLetters));
        b.append(String.format(Locale.ROOT, "Customers segmented: %,d%n", finalSegments.size()));
        b.append("Value tiers:   ").append(tierDistribution()).append('\n');
        b.append("Potential key accounts: ").append(potentialKeyAccounts()).append('\n');
        b.append("Churn risk:    ").append(churnDistribution()).append('\n');
        b.append("Credit rating: ").append(creditDistribution()).append('\n');
        b.append("Alerts:        ").append(alertsByType).append('\n');
        b.append("Models:        ").append(finalModels()).append(" (the version of each customer's latest segment)\n");
        b.append("Dead letters:  ").append(deadLettersByReason).append('\n');
        return b.toString();
    }
}
