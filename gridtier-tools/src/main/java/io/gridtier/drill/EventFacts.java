package io.gridtier.drill;

import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.MeterReading;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the drill needs to know of its events file: how many lines it has, and the reading that fails the job
 * once (the first reading after a tenth of the file, so that it is the first fault the job meets).
 */
record EventFacts(long lines, String poisonReadingId) {
    static EventFacts of(Path events, JsonLineCodec codec) throws IOException {
        long lines;
        try (var all = Files.lines(events, StandardCharsets.UTF_8)) {
            lines = all.count();
        }
        try (BufferedReader in = Files.newBufferedReader(events, StandardCharsets.UTF_8)) {
            long n = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (n++ < lines / 10) {
                    continue;
                }
                try {
                    if (codec.decode(line) instanceof MeterReading r) {
                        return new EventFacts(lines, r.getReadingId());
                    }
                } catch (Exception e) {
                    // a line the generator wrote to be a dead letter
                }
            }
        }
        throw new IllegalStateException(events + " has no reading after its first tenth");
    }
}
