package io.gridtier.model;

import io.gridtier.schema.ModelUpdate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The model versions in force over event time: the start-up model from {@code config/} and every version
 * pushed at run time ({@link ModelUpdate}, topic {@code model-updates}). An evaluation at event time
 * {@code t} uses the version with the latest {@code effectiveFrom} not after {@code t}; of two with the same
 * {@code effectiveFrom}, the one pushed later. So a replay of the same events and the same updates uses the
 * same model for every evaluation, whatever the order the updates arrived in among the events.
 *
 * <p>Versions are immutable: a push of a version already known with the same text and time is a no-op, with
 * other text or another time it is refused (push it under a new version). Pure Java, no Flink: the job's
 * operator holds the accepted updates in broadcast state and this timeline over them; {@code gridtier model
 * list} rebuilds the same timeline from the topic.
 */
public final class ModelTimeline {
    /** What became of an offered update. */
    public enum Outcome { ACCEPTED, ALREADY_KNOWN, REFUSED }

    public record Offer(Outcome outcome, String detail) {
    }

    /** An accepted version, in the order of the timeline. */
    public record Entry(ModelUpdate update, long sequence, SegmentationModel model) {
        public String version() {
            return update.getVersion();
        }

        public Instant effectiveFrom() {
            return update.getEffectiveFrom();
        }
    }

    private static final Comparator<Entry> ORDER = Comparator
            .comparing((Entry e) -> e.update.getEffectiveFrom()).thenComparingLong(Entry::sequence);

    private final SegmentationModel initial;
    private final ZoneId zone;
    /** Sorted by effectiveFrom, then by arrival. */
    private final List<Entry> entries = new ArrayList<>();
    private long lastSequence;

    /** @param initial the model of the start-up file, in force from the beginning of time */
    public ModelTimeline(SegmentationModel initial, ZoneId zone) {
        this.initial = Objects.requireNonNull(initial, "initial");
        this.zone = zone;
    }

    /**
     * Validates an update exactly like the start-up file, plus its envelope: the checksum must be that of the
     * text, and the version the one the text names.
     *
     * @throws InvalidConfigException naming the key that is wrong
     */
    public static SegmentationModel validate(ModelUpdate u, ZoneId zone) {
        if (u.getVersion() == null || u.getVersion().isBlank()) {
            throw new InvalidConfigException("pushed model: version is empty");
        }
        String origin = "pushed model " + u.getVersion();
        String actual = checksum(u.getModel());
        if (!actual.equals(u.getChecksum())) {
            throw new InvalidConfigException(origin + ": checksum '" + u.getChecksum() + "' is not that of the model text ("
                    + actual + "); the text was changed or cut on the way");
        }
        ModelConfig config = ModelConfig.parse(u.getModel(), origin);
        if (!config.version().equals(u.getVersion())) {
            throw new InvalidConfigException(origin + ": version: the update says '" + u.getVersion()
                    + "' but the model text says '" + config.version() + "'");
        }
        return new SegmentationModel(config, zone);
    }

    /** {@code sha256:} and the lower-case hex SHA-256 of the text's UTF-8 bytes. */
    public static String checksum(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /**
     * Offers an update that arrived after the ones before it. Never throws on a bad update: the outcome says why
     * it was refused, and the timeline is unchanged then.
     */
    public Offer offer(ModelUpdate u) {
        SegmentationModel model;
        try {
            model = validate(u, zone);
        } catch (InvalidConfigException e) {
            return new Offer(Outcome.REFUSED, e.getMessage());
        }
        if (initial.version().equals(u.getVersion())) {
            return initial.config().equals(model.config())
                    ? new Offer(Outcome.ALREADY_KNOWN, "version " + u.getVersion() + " is the start-up model")
                    : new Offer(Outcome.REFUSED, "pushed model " + u.getVersion() + ": version: the start-up model has "
                    + "this version with other content; versions are immutable, push it under a new version");
        }
        for (Entry e : entries) {
            if (e.version().equals(u.getVersion())) {
                boolean same = e.update.getChecksum().equals(u.getChecksum())
                        && e.update.getEffectiveFrom().equals(u.getEffectiveFrom());
                return same ? new Offer(Outcome.ALREADY_KNOWN, "version " + u.getVersion() + " is already in force from "
                        + e.effectiveFrom())
                        : new Offer(Outcome.REFUSED, "pushed model " + u.getVersion() + ": version: already in force from "
                        + e.effectiveFrom() + " with " + e.update.getChecksum() + "; versions are immutable, push the "
                        + "change under a new version");
            }
        }
        add(u, lastSequence + 1, model);
        return new Offer(Outcome.ACCEPTED, "version " + u.getVersion() + " in force from " + u.getEffectiveFrom());
    }

    /**
     * Restores an update accepted before (from the operator's broadcast state), at its place in the arrival
     * order. It was validated when it arrived; it is validated again, as the rules may have grown since.
     */
    public void restore(ModelUpdate u, long sequence) {
        add(u, sequence, validate(u, zone));
    }

    private void add(ModelUpdate u, long sequence, SegmentationModel model) {
        Entry entry = new Entry(u, sequence, model);
        int at = 0;
        while (at < entries.size() && ORDER.compare(entries.get(at), entry) <= 0) {
            at++;
        }
        entries.add(at, entry);
        lastSequence = Math.max(lastSequence, sequence);
    }

    /** The model in force at event time {@code time} (epoch millis). */
    public SegmentationModel at(long time) {
        SegmentationModel inForce = initial;
        for (Entry e : entries) {
            if (e.update.getEffectiveFrom().toEpochMilli() > time) {
                break;
            }
            inForce = e.model;
        }
        return inForce;
    }

    public SegmentationModel initial() {
        return initial;
    }

    /** The pushed versions, by effectiveFrom then arrival. */
    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    /** The sequence number the last accepted update got (0 when none). */
    public long lastSequence() {
        return lastSequence;
    }
}
