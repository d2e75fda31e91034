package io.gridtier.tierservice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.Factor;
import io.gridtier.schema.ScoreKind;
import io.gridtier.tierservice.ingest.ViewStatus;
import io.gridtier.tierservice.store.HistoryEntry;
import io.gridtier.tierservice.store.StoredSegment;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** How the API writes segments, timelines and the view's state as JSON (README.md, openapi.json). */
final class JsonViews {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final ZoneId zone;

    JsonViews(ZoneId zone) {
        this.zone = zone;
    }

    String time(long epochMillis) {
        return ISO.format(Instant.ofEpochMilli(epochMillis).atZone(zone));
    }

    String time(Instant t) {
        return ISO.format(t.atZone(zone));
    }

    /** What both views of a segment start with: who the customer is and its tier. */
    private ObjectNode identity(CustomerSegment s) {
        ObjectNode o = JSON.createObjectNode();
        o.put("customerId", s.getCustomerId());
        o.put("category", s.getCategory().name());
        o.put("valueTier", s.getValueTier().name());
        o.put("tierSince", time(s.getTierSince()));
        return o;
    }

    /** The full view of one customer's segment, for the lookup. */
    ObjectNode segment(StoredSegment stored, ViewStatus view, long nowMillis) {
        CustomerSegment s = stored.segment();
        ObjectNode o = identity(s);
        ObjectNode flags = o.putObject("flags");
        flags.put("potentialKeyAccount", s.getPotentialKeyAccount());
        flags.put("churnRisk", s.getChurnRisk().name());
        flags.put("creditRating", s.getCreditRating().name());
        ObjectNode scores = o.putObject("scores");
        score(scores.putObject("value"), s.getValueScore(), s.getFactors(), ScoreKind.VALUE);
        score(scores.putObject("churn"), s.getChurnScore(), s.getFactors(), ScoreKind.CHURN);
        score(scores.putObject("credit"), s.getCreditScore(), s.getFactors(), ScoreKind.CREDIT);
        ArrayNode actions = o.putArray("recommendedActions");
        s.getRecommendedActions().forEach(actions::add);
        if (s.getUsageProfile() != null || s.getPeakShare() != null) {
            ObjectNode usage = o.putObject("usage");
            if (s.getUsageProfile() != null) {
                usage.put("profile", s.getUsageProfile().name());
            }
            putShare(usage, "peakShare", s.getPeakShare());
            putShare(usage, "flatShare", s.getFlatShare());
            putShare(usage, "valleyShare", s.getValleyShare());
        }
        o.put("modelVersion", s.getModelVersion());
        o.set("freshness", freshness(stored, nowMillis));
        o.set("view", view(view, nowMillis));
        return o;
    }

    /** The short form used in lists. */
    ObjectNode summary(StoredSegment stored) {
        CustomerSegment s = stored.segment();
        ObjectNode o = identity(s);
        o.put("potentialKeyAccount", s.getPotentialKeyAccount());
        o.put("churnRisk", s.getChurnRisk().name());
        o.put("creditRating", s.getCreditRating().name());
        ObjectNode scores = o.putObject("scores");
        scores.put("value", round2(s.getValueScore()));
        scores.put("churn", round2(s.getChurnScore()));
        scores.put("credit", round2(s.getCreditScore()));
        o.put("asOf", time(s.getAsOf()));
        o.put("modelVersion", s.getModelVersion());
        return o;
    }

    ObjectNode history(HistoryEntry e) {
        ObjectNode o = JSON.createObjectNode();
        o.put("kind", e.kind());
        o.put("time", time(e.time()));
        if (e.changes() != null) {
            ArrayNode changes = o.putArray("changes");
            for (HistoryEntry.Change c : e.changes()) {
                ObjectNode n = changes.addObject();
                n.put("dimension", c.dimension());
                n.put("previous", c.previous());
                n.put("current", c.current());
            }
        }
        if (e.type() != null) {
            o.put("type", e.type());
            o.put("alertId", e.alertId());
            o.put("previous", e.previous());
            o.put("current", e.current());
            o.put("recommendedAction", e.recommendedAction());
        }
        if (e.modelVersion() != null) {
            o.put("modelVersion", e.modelVersion());
        }
        return o;
    }

    ObjectNode view(ViewStatus status, long nowMillis) {
        ObjectNode v = JSON.createObjectNode();
        v.put("ready", status.ready());
        v.put("stale", status.stale(nowMillis));
        v.put("phase", status.phase().name());
        if (status.totalLag() >= 0) {
            v.put("lagRecords", status.totalLag());
        } else {
            v.putNull("lagRecords");
        }
        if (status.lastContactMillis() > 0) {
            v.put("brokerContactSecondsAgo", round2((nowMillis - status.lastContactMillis()) / 1000.0));
        }
        return v;
    }

    private ObjectNode freshness(StoredSegment stored, long nowMillis) {
        ObjectNode f = JSON.createObjectNode();
        f.put("asOf", time(stored.segment().getAsOf()));
        f.put("producedAt", time(stored.producedAt()));
        f.put("receivedAt", time(stored.receivedAt()));
        f.put("receivedSecondsAgo", Math.max(0, (nowMillis - stored.receivedAt()) / 1000));
        return f;
    }

    private static void score(ObjectNode into, double score, List<Factor> all, ScoreKind kind) {
        into.put("score", round2(score));
        List<Factor> factors = new ArrayList<>();
        for (Factor f : all) {
            if (f.getScore() == kind) {
                factors.add(f);
            }
        }
        factors.sort(Comparator.comparingDouble((Factor f) -> -Math.abs(f.getContribution())));
        ArrayNode arr = into.putArray("factors");
        for (Factor f : factors) {
            ObjectNode n = arr.addObject();
            n.put("name", f.getName());
            n.put("value", f.getValue());
            n.put("contribution", round2(f.getContribution()));
            n.put("detail", f.getDetail());
        }
    }

    private static void putShare(ObjectNode o, String name, Double v) {
        if (v != null) {
            o.put(name, Math.round(v * 1000) / 1000.0);
        }
    }

    static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
