package io.gridtier.cli;

import io.gridtier.config.JobConfig;
import io.gridtier.format.BadRecordException;
import io.gridtier.format.JsonLineCodec;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.EventValidator;
import io.gridtier.ingest.JsonLineDecoder;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.ingest.RawRecord;
import io.gridtier.job.CustomerSegmenter;
import io.gridtier.job.Descriptors;
import io.gridtier.job.SegmentationJob;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.ModelUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The job's keyed operator ({@link CustomerSegmenter}) over a generated {@code events.jsonl} on Flink's operator
 * test harness, for unit tests that need a replay's {@code segments.jsonl} without a MiniCluster: lines decoded
 * and validated by the job's own classes (bad ones dropped, as the job sends them to the dead letters), fed in
 * event-time order with the watermark following each event, so that nothing is late. A real replay differs
 * only where the generator's late batches arrive after the watermark.
 */
final class OperatorHarnessSegmentation {
    private OperatorHarnessSegmentation() {
    }

    /** Segments the events and writes them as {@code segments.jsonl} into {@code out}; returns that file. */
    static Path segments(Path events, JobConfig config, SegmentationModel model, Path out) throws Exception {
        JsonLineDecoder decoder = new JsonLineDecoder(config.zone());
        EventValidator validator = new EventValidator(config.futureTolerance(), config.maxKwhPerHour());
        long now = System.currentTimeMillis();
        List<CustomerEvent> timeline = new ArrayList<>();
        long number = 0;
        for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            number++;
            RawRecord raw = new RawRecord(events.getFileName().toString(), 0, number, null, line.getBytes(StandardCharsets.UTF_8));
            try {
                timeline.add(validator.validate(decoder.decode(raw), now));
            } catch (BadRecordException | RuntimeException e) {
                // a dead letter in the job
            }
        }
        timeline.sort(Comparator.comparingLong(e -> e.timestamp)); // stable: same-time events keep their order

        LatenessRule lateness = new LatenessRule(config.zone(), config.correctionWindowDays(), config.billingHorizonDays());
        CustomerSegmenter segmenter = new CustomerSegmenter(model, config.tariffs(), lateness, config.zone(),
                config.closedRetentionDays(), config.maxReadingsPerCustomerDay());
        JsonLineCodec codec = new JsonLineCodec(config.zone());
        Path file = out.resolve("segments.jsonl");
        Files.createDirectories(out);
        try (KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> harness =
                     new KeyedTwoInputStreamOperatorTestHarness<>(
                             new CoBroadcastWithKeyedOperator<>(segmenter, List.of(Descriptors.MODEL_UPDATES)),
                             new SegmentationJob.ByCustomer(), null, Types.STRING, 128, 1, 0);
             BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            harness.open();
            long watermark = Long.MIN_VALUE;
            for (CustomerEvent e : timeline) {
                if (e.timestamp - 1 > watermark) {
                    watermark = e.timestamp - 1;
                    harness.processBothWatermarks(new Watermark(watermark));
                    drain(harness, codec, writer);
                }
                harness.processElement1(new StreamRecord<>(e, e.timestamp));
            }
            // evaluate the last day (not Long.MAX_VALUE: the daily tick would reschedule itself for ever)
            harness.processBothWatermarks(new Watermark(watermark + Duration.ofDays(1).toMillis()));
            drain(harness, codec, writer);
        }
        return file;
    }

    private static void drain(KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> harness,
                              JsonLineCodec codec, BufferedWriter writer) throws Exception {
        for (CustomerSegment s : harness.extractOutputValues()) {
            writer.write(codec.encode(s));
            writer.newLine();
        }
        harness.getOutput().clear();
    }
}
