package io.gridtier.generator;

import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.schema.BillIssued;
import io.gridtier.schema.CustomerProfile;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.MeterReading;
import io.gridtier.schema.PaymentReceived;
import io.gridtier.schema.ReadingQuality;
import org.apache.avro.specific.SpecificRecord;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** A generated population read back from its files, as a consumer of events.jsonl would see it. */
final class GeneratedPopulation {
    /** One line of events.jsonl: its text and, when it decodes, its record and event time. */
    record Line(int number, String text, SpecificRecord record, Instant eventTime, DeadLetterReason failure) {
        boolean decodes() {
            return record != null;
        }
    }

    final GeneratorOptions options;
    final GenerationSummary summary;
    final List<Line> lines = new ArrayList<>();
    final List<GroundTruth> truth;
    final Map<String, GroundTruth> truthById = new LinkedHashMap<>();
    final Map<String, List<CustomerProfile>> profiles = new HashMap<>();
    final Map<String, List<BillIssued>> bills = new HashMap<>();
    final Map<String, List<PaymentReceived>> payments = new HashMap<>();
    final Map<DeadLetterReason, Integer> failures = new EnumMap<>(DeadLetterReason.class);
    int negativeKwhLines;
    /** kWh per customer and local day (index from the start), corrections applied, duplicates once. */
    final Map<String, double[]> dailyKwh = new HashMap<>();
    /** Whether the customer's meter reported anything for that local day. */
    final Map<String, boolean[]> reported = new HashMap<>();
    /** Interval length of each customer's readings. */
    final Map<String, Integer> intervalMinutes = new HashMap<>();
    final Path dir;

    private GeneratedPopulation(GeneratorOptions options, Path dir) throws IOException {
        this.options = options;
        this.dir = dir;
        this.summary = new PopulationGenerator(options).generate(dir);
        this.truth = GroundTruth.read(dir.resolve(PopulationGenerator.GROUND_TRUTH_FILE));
        for (GroundTruth row : truth) {
            truthById.put(row.customerId(), row);
        }
        read();
    }

    static GeneratedPopulation generate(GeneratorOptions options, Path dir) throws IOException {
        return new GeneratedPopulation(options, dir);
    }

    private void read() throws IOException {
        JsonLineCodec codec = new JsonLineCodec(options.zone());
        ZoneId zone = options.zone();
        int days = (int) ChronoUnit.DAYS.between(options.start(), options.end());
        Map<String, MeterReading> readings = new HashMap<>();
        List<String> texts = Files.readAllLines(dir.resolve(PopulationGenerator.EVENTS_FILE), StandardCharsets.UTF_8);
        int number = 0;
        for (String text : texts) {
            number++;
            SpecificRecord record;
            try {
                record = codec.decode(text);
            } catch (BadRecordException e) {
                failures.merge(e.reason(), 1, Integer::sum);
                lines.add(new Line(number, text, null, null, e.reason()));
                continue;
            }
            Instant eventTime;
            if (record instanceof MeterReading r) {
                eventTime = r.getIntervalEnd();
                if (r.getKwh() < 0) {
                    negativeKwhLines++;
                    lines.add(new Line(number, text, record, eventTime, DeadLetterReason.INVALID_VALUE));
                    continue;
                }
                MeterReading earlier = readings.get(r.getReadingId());
                if (earlier == null || r.getQuality() == ReadingQuality.CORRECTED) {
                    readings.put(r.getReadingId(), r);
                }
                intervalMinutes.put(r.getCustomerId(), r.getIntervalMinutes());
            } else if (record instanceof CustomerProfile p) {
                eventTime = p.getUpdatedAt();
                profiles.computeIfAbsent(p.getCustomerId(), k -> new ArrayList<>()).add(p);
            } else if (record instanceof BillIssued b) {
                eventTime = b.getIssuedAt();
                bills.computeIfAbsent(b.getCustomerId(), k -> new ArrayList<>()).add(b);
            } else if (record instanceof PaymentReceived p) {
                eventTime = p.getPaidAt();
                payments.computeIfAbsent(p.getCustomerId(), k -> new ArrayList<>()).add(p);
            } else {
                throw new AssertionError("unexpected record type in events.jsonl: " + record.getSchema().getName());
            }
            lines.add(new Line(number, text, record, eventTime, null));
        }
        for (MeterReading r : readings.values()) {
            // a reading counts for the local day its interval starts in
            LocalDate day = r.getIntervalEnd().minusMillis(1).atZone(zone).toLocalDate();
            int index = (int) ChronoUnit.DAYS.between(options.start(), day);
            dailyKwh.computeIfAbsent(r.getCustomerId(), k -> new double[days])[index] += r.getKwh();
            reported.computeIfAbsent(r.getCustomerId(), k -> new boolean[days])[index] = true;
        }
    }

    int dayIndex(LocalDate day) {
        return (int) ChronoUnit.DAYS.between(options.start(), day);
    }

    /** kWh of the customer over local days [from, to). */
    double kwh(String customerId, LocalDate from, LocalDate to) {
        double[] daily = dailyKwh.get(customerId);
        return daily == null ? 0.0 : days(daily.length, from, to).mapToDouble(i -> daily[i]).sum();
    }

    /** Days in [from, to) on which the customer's meter reported. */
    int reportedDays(String customerId, LocalDate from, LocalDate to) {
        boolean[] days = reported.get(customerId);
        return days == null ? 0 : (int) days(days.length, from, to).filter(i -> days[i]).count();
    }

    /** The indexes of local days [from, to) within a customer's array of {@code length} days. */
    private IntStream days(int length, LocalDate from, LocalDate to) {
        return IntStream.range(Math.max(0, dayIndex(from)), Math.min(length, dayIndex(to)));
    }

    List<GroundTruth> withTrajectory(Trajectory trajectory) {
        return truth.stream().filter(t -> t.trajectory() == trajectory).toList();
    }
}
