package io.gridtier.tierservice.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.io.JsonStringEncoder;

import java.nio.charset.StandardCharsets;

import java.util.List;

/**
 * One line of a customer's timeline: a change of tier, churn risk, credit rating or the potential-key-account
 * flag seen between two successive segments ({@code SEGMENT_CHANGE}; {@code FIRST_SEEN} for the first segment
 * this view received), or an alert from the segment-alerts topic ({@code ALERT}). Stored as JSON.
 *
 * @param time event time in epoch milliseconds (the segment's asOf, or the alert's eventTime)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HistoryEntry(String kind, long time, List<Change> changes, String alertId, String type, String previous,
                           String current, String recommendedAction, String modelVersion) {
    public static final String FIRST_SEEN = "FIRST_SEEN";
    public static final String SEGMENT_CHANGE = "SEGMENT_CHANGE";
    public static final String ALERT = "ALERT";

    public static HistoryEntry segmentChange(boolean first, long time, List<Change> changes, String modelVersion) {
        return new HistoryEntry(first ? FIRST_SEEN : SEGMENT_CHANGE, time, changes, null, null, null, null, null,
                modelVersion);
    }

    public static HistoryEntry alert(long time, String alertId, String type, String previous, String current,
                                     String recommendedAction, String modelVersion) {
        return new HistoryEntry(ALERT, time, null, alertId, type, previous, current, recommendedAction, modelVersion);
    }

    /** The stored form: the same JSON Jackson would write (NON_NULL), without a generator per entry. */
    public byte[] toJson() {
        StringBuilder b = new StringBuilder(160).append('{');
        field(b, "kind", kind);
        b.append(",\"time\":").append(time);
        if (changes != null) {
            b.append(",\"changes\":[");
            for (int i = 0; i < changes.size(); i++) {
                Change c = changes.get(i);
                b.append(i == 0 ? "{" : ",{");
                field(b, "dimension", c.dimension());
                if (c.previous() != null) {
                    b.append(',');
                    field(b, "previous", c.previous());
                }
                b.append(',');
                field(b, "current", c.current());
                b.append('}');
            }
            b.append(']');
        }
        optional(b, "alertId", alertId);
        optional(b, "type", type);
        optional(b, "previous", previous);
        optional(b, "current", current);
        optional(b, "recommendedAction", recommendedAction);
        optional(b, "modelVersion", modelVersion);
        return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void optional(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(',');
            field(b, name, value);
        }
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append('"').append(name).append("\":\"");
        JsonStringEncoder.getInstance().quoteAsString(value, b);
        b.append('"');
    }

    /** One dimension that changed; {@code previous} is null on the first segment seen. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Change(String dimension, String previous, String current) {
    }
}
