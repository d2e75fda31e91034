package io.gridtier.drill;

import io.gridtier.config.JobConfig;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.livedemo.InputEncoder;
import io.gridtier.schema.MeterReading;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;

/**
 * What the drill needs to know of its events file: how many lines it has, the reading that fails the job once
 * (the first reading after a tenth of the file, so that it is the first fault the job meets), and the day from
 * which the next model version applies (that of the line at {@link #NEXT_MODEL_AT} of the file: late enough that
 * the upgrade is pushed before the job evaluates it, early enough that a good part of the stream is evaluated by it).
 */
record EventFacts(long lines, String poisonReadingId, LocalDate nextModelFrom) {
    static final double NEXT_MODEL_AT = 0.8;

    static EventFacts of(Path events, JobConfig config) throws IOException {
        JsonLineCodec codec = new JsonLineCodec(config.zone());
        InputEncoder encoder = new InputEncoder(config);
        long lines;
        try (var all = Files.lines(events, StandardCharsets.UTF_8)) {
            lines = all.count();
        }
        String poison = null;
        LocalDate nextModelFrom = null;
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            long n = 0;
            for (String line = in.readLine(); line != null && nextModelFrom == null; line = in.readLine()) {
                if (n++ < lines / 10) {
                    continue;
                }
                if (poison == null) {
                    try {
                        if (codec.decode(line) instanceof MeterReading r) {
                            poison = r.getReadingId();
                        }
                    } catch (Exception e) {
                        // a line the generator wrote to be a dead letter
                    }
                }
                if (n >= lines * NEXT_MODEL_AT) {
                    InputEncoder.Encoded e = encoder.encodeLine(line);
                    if (!e.isBadLine()) {
                        nextModelFrom = Instant.ofEpochMilli(e.eventTime()).atZone(config.zone()).toLocalDate().plusDays(1);
                    }
                }
            }
        }
        if (poison == null || nextModelFrom == null) {
            throw new IllegalStateException(events + " has no reading after its first tenth, or no event after "
                    + Math.round(NEXT_MODEL_AT * 100) + "% of its lines");
        }
        return new EventFacts(lines, poison, nextModelFrom);
    }
}
