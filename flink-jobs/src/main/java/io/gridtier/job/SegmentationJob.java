package io.gridtier.job;

import io.gridtier.config.JobConfig;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.EventValidator;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.ingest.ModelUpdateDecoder;
import io.gridtier.ingest.RawRecord;
import io.gridtier.ingest.RecordDecoder;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.SegmentAlert;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.time.ZoneId;

/**
 * The segmentation workflow, and only its wiring: decode and validate → event time → lateness gate →
 * keyBy(customerId) → {@link CustomerSegmenter}, connected to the broadcast model updates (checked by
 * {@link ModelUpdateCheck}). The same wiring serves the Kafka job, the replay
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
        return defineWorkflow(input, decoder, config, model, ingestParallelism, inputHasWatermarks,
                noModelUpdates(input.getExecutionEnvironment()));
    }

    /**
     * The model-updates control stream, raw, and how to decode it.
     *
     * @param live the stream never ends (the Kafka topic): it must not hold event time back, so its updates
     *             apply from the evaluations after their arrival (and from their effectiveFrom on). Otherwise
     *             (a replay's file) it holds event time back until it has ended: every update is in force
     *             before the first evaluation, whatever its place among the events. Either way it never
     *             moves event time on ({@link ModelUpdateTime}).
     */
    public record ModelUpdates(DataStream<RawRecord> records, ModelUpdateDecoder decoder, boolean live) {
    }

    /** No updates: the start-up model is in force throughout. */
    public static ModelUpdates noModelUpdates(StreamExecutionEnvironment env) {
        // a bounded source that ends at once (fromData refuses an empty collection in Flink 2.2)
        DataStream<RawRecord> none = env.fromSequence(0, 0).uid("no-model-updates").name("no model updates")
                .setParallelism(1)
                .filter(ignored -> false).uid("no-model-updates-filter").name("no model updates").setParallelism(1)
                .map(ignored -> new RawRecord()).returns(TypeInformation.of(RawRecord.class))
                .uid("no-model-updates-map").name("no model updates").setParallelism(1);
        return new ModelUpdates(none, ModelUpdateDecoder.jsonLine(ZoneId.of("UTC")), false);
    }

    /** The whole workflow, with the model versions pushed at run time. */
    public static Outputs defineWorkflow(DataStream<RawRecord> input, RecordDecoder decoder, JobConfig config,
                                         SegmentationModel model, int ingestParallelism, boolean inputHasWatermarks,
                                         ModelUpdates modelUpdates) {
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

        SingleOutputStreamOperator<ModelUpdate> checkedUpdates = modelUpdates.records()
                .process(new ModelUpdateCheck(modelUpdates.decoder(), config.zone()))
                .uid("model-update-check").name("check model updates").setParallelism(1);
        DataStream<ModelUpdate> updates = checkedUpdates
                .transform("model updates carry no event time", checkedUpdates.getType(), new ModelUpdateTime(modelUpdates.live()))
                .uid("model-update-time").setParallelism(1);

        SingleOutputStreamOperator<CustomerSegment> segments = onTime
                .keyBy(new ByCustomer())
                .connect(updates.broadcast(Descriptors.MODEL_UPDATES))
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
                .union(onTime.getSideOutput(Descriptors.DEAD_LETTERS), segments.getSideOutput(Descriptors.DEAD_LETTERS),
                        checkedUpdates.getSideOutput(Descriptors.DEAD_LETTERS));
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
