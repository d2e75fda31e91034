package io.gridtier.backtest;

import io.gridtier.schema.CustomerSegment;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * How customers move along one {@link Dimension} between the current and the candidate model at one moment:
 * customers by (level under the current model, level under the candidate).
 */
public record Migration(Dimension dimension, Map<String, Map<String, Long>> counts) {
    /** @param current and {@code candidate}: each customer's segment in force at the moment, or none */
    public static Migration of(Dimension d, Map<String, CustomerSegment> current, Map<String, CustomerSegment> candidate) {
        Map<String, Map<String, Long>> counts = new LinkedHashMap<>();
        for (String from : d.levels()) {
            Map<String, Long> row = new LinkedHashMap<>();
            for (String to : d.levels()) {
                row.put(to, 0L);
            }
            counts.put(from, row);
        }
        Set<String> customers = new TreeSet<>(current.keySet());
        customers.addAll(candidate.keySet());
        for (String id : customers) {
            counts.get(d.levelOf(current.get(id))).merge(d.levelOf(candidate.get(id)), 1L, Long::sum);
        }
        return new Migration(d, counts);
    }

    /** Customers whose level differs between the two models. */
    public long moved() {
        long moved = 0;
        for (Map.Entry<String, Map<String, Long>> row : counts.entrySet()) {
            for (Map.Entry<String, Long> cell : row.getValue().entrySet()) {
                if (!cell.getKey().equals(row.getKey())) {
                    moved += cell.getValue();
                }
            }
        }
        return moved;
    }

    public long count(String from, String to) {
        return counts.get(from).get(to);
    }

    /** Whether a level is used on either side (the {@code none} row and column are shown only when used). */
    public boolean used(String level) {
        if (counts.get(level).values().stream().mapToLong(Long::longValue).sum() > 0) {
            return true;
        }
        return counts.values().stream().anyMatch(row -> row.get(level) > 0);
    }
}
