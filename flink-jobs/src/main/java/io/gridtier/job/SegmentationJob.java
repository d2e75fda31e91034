package io.gridtier.job;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.EventValidator;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.RecordDecoder;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The segmentation workflow, and only its wiring: decode and validate → event time → lateness gate →
 * keyBy(customerId) → {@link CustomerSegmenter}. The same wiring serves the Kafka job, the replay
 * and the benchmark; each passes its own input stream and attaches its own sinks to the outputs.
 * Operator uids are stable across releases so that savepoints restore.
 */
public final class SegmentationJob {
    /** Watermarks move in whole hours: evaluations happen at day boundaries, finer steps only cost. */
    public static final long WATERMARK_QUANTUM_MS = 3_600_000L;

    private SegmentationJob() {
    }

    /** The workflow's three output streams. */
    public record Outputs(DataStream<CustomerSegment> segments, DataStream<SegmentAlert> alerts,
                          DataStream<DeadLetter> deadLetters) {
    }

    /**
     * @param ingestParallelism parallelism of the steps before the keyBy (decode, watermarks,
     *                          lateness gate), or 0 to keep the input's. A replay from one file uses 1
     *                          so that its watermarks follow the file, and its results do not depend
     *                          on thread timing.
     */
    public static Outputs defineWorkflow(DataStream<RawRecord> input, RecordDecoder decoder, JobConfig config,
                                         SegmentationModel model, int ingestParallelism) {
        return defineWorkflow(input, decoder, config, model, ingestParallelism, false);
    }

    /**
     * @param inputHasWatermarks the input already carries event-time watermarks (a Kafka source
     *                           generating them per partition, so that a lagging partition holds the
     *                           watermark back instead of seeing its records judged late); the
     *                           workflow then assigns none of its own
     */
    public static Outputs defineWorkflow(DataStream<RawRecord> input, RecordDecoder decoder, JobConfig config,
                                         SegmentationModel model, int ingestParallelism, boolean inputHasWatermarks) {
        int ingest = ingestParallelism > 0 ? ingestParallelism : input.getParallelism();
        SingleOutputStreamOperator<CustomerEvent> decoded = input
                .process(new DecodeAndValidate(decoder, new EventValidator(config.futureTolerance(), config.maxKwhPerHour())))
                .uid("decode-validate").name("decode and validate").setParallelism(ingest);

        long bound = config.maxOutOfOrderness().toMillis();
        SingleOutputStreamOperator<CustomerEvent> timed = inputHasWatermarks ? decoded : decoded
                .assignTimestampsAndWatermarks(WatermarkStrategy
                        .<CustomerEvent>forGenerator(ctx -> new EventDrivenWatermarks<>(bound, WATERMARK_QUANTUM_MS))
                        .withTimestampAssigner((event, ignored) -> event.timestamp)
                        .withIdleness(config.idleness()))
                .uid("event-time").name("event time").setParallelism(ingest);

        LatenessRule lateness = new LatenessRule(config.zone(), config.correctionWindowDays(), config.billingHorizonDays());
        SingleOutputStreamOperator<CustomerEvent> onTime = timed
                .process(new LatenessGate(lateness))
                .uid("lateness-gate").name("lateness gate").setParallelism(ingest);

        SingleOutputStreamOperator<CustomerSegment> segments = onTime
                .keyBy(new ByCustomer())
                .process(new CustomerSegmenter(model, config.tariffs(), lateness, config.zone(),
                        config.closedRetentionDays(), config.maxReadingsPerCustomerDay())
                        .failingOnceOn(config.failOnceOnReadingId()))
                .uid("customer-segmenter").name("segment customers");

        // exact tier populations across subtasks, as metrics (one key, so one subtask holds the totals)
        segments.getSideOutput(Descriptors.POPULATION)
                .keyBy(new PopulationDelta.ToOneKey())
                .process(new TierPopulation()).uid("tier-population").name("tier populations")
                .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>())
                .uid("tier-population-sink").name("tier populations (metrics only)");

        DataStream<DeadLetter> deadLetters = decoded.getSideOutput(Descriptors.DEAD_LETTERS)
                .union(onTime.getSideOutput(Descriptors.DEAD_LETTERS), segments.getSideOutput(Descriptors.DEAD_LETTERS));
        return new Outputs(segments, segments.getSideOutput(Descriptors.ALERTS), deadLetters);
    }

    /** The key of every customer's state. */
    public static final class ByCustomer implements KeySelector<CustomerEvent, String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String getKey(CustomerEvent event) {
            return event.customerId;
        }
    }
}
