package io.gridtier.job;

import io.gridtier.config.JobConfig;
import io.gridtier.customer.ConsumptionHistory;
import io.gridtier.customer.DayBucket;
import io.gridtier.customer.SegmentMemory;
import io.gridtier.ingest.CustomerEvent;
import io.gridtier.ingest.LatenessRule;
import io.gridtier.model.ModelConfig;
import io.gridtier.model.SegmentationModel;
import io.gridtier.schema.CustomerCategory;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.schema.CustomerStatus;
import io.gridtier.schema.DeadLetter;
import io.gridtier.schema.DeadLetterReason;
import io.gridtier.schema.ModelUpdate;
import io.gridtier.schema.ReadingQuality;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.KeyedStateBackend;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedTwoInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.Collectors;

import static io.gridtier.job.TestEvents.dayEnd;
import static io.gridtier.job.TestEvents.daily;
import static io.gridtier.job.TestEvents.event;
import static io.gridtier.job.TestEvents.interval;
import static io.gridtier.job.TestEvents.profile;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keyed operator on the real RocksDB backend: its output, its state and its timers. */
class CustomerSegmenterHarnessTest {
    private static final Path CONFIG_DIR = Path.of(System.getProperty("gridtier.configDir", "../config"));
    private KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> harness;

    static JobConfig config(String... overrides) {
        return JobConfig.load(CONFIG_DIR.resolve("gridtier.yaml"), List.of(overrides), CONFIG_DIR.getParent());
    }

    static CustomerSegmenter segmenter(JobConfig config) {
        SegmentationModel model = new SegmentationModel(ModelConfig.load(config.modelFile()), config.zone());
        return new CustomerSegmenter(model, config.tariffs(),
                new LatenessRule(config.zone(), config.correctionWindowDays(), config.billingHorizonDays()),
                config.zone(), config.closedRetentionDays(), config.maxReadingsPerCustomerDay())
                .failingOnceOn(config.failOnceOnReadingId());
    }

    /** The segmenter as the job runs it: keyed by customer, connected to the broadcast model updates. */
    static KeyedTwoInputStreamOperatorTestHarness<String, CustomerEvent, ModelUpdate, CustomerSegment> harness(
            CustomerSegmenter segmenter) throws Exception {
        return new KeyedTwoInputStreamOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(segmenter, List.of(Descriptors.MODEL_UPDATES)),
                new SegmentationJob.ByCustomer(), null, Types.STRING, 128, 1, 0);
    }

    void open(JobConfig config) throws Exception {
        harness = harness(segmenter(config));
        harness.setStateBackend(new EmbeddedRocksDBStateBackend());
        harness.open();
    }

    @BeforeEach
    void setUp() throws Exception {
        open(config());
    }

    @AfterEach
    void tearDown() throws Exception {
        harness.close();
    }

    private void send(CustomerEvent e) throws Exception {
        harness.processElement1(new StreamRecord<>(e, e.timestamp));
    }

    private List<CustomerSegment> segments() {
        return harness.extractOutputValues();
    }

    private <T> T state(String customer, ValueStateDescriptor<T> descriptor) throws Exception {
        KeyedStateBackend<String> backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(customer);
        descriptor.initializeSerializerUnlessSet(new ExecutionConfig());
        return backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor).value();
    }

    private java.util.Map<Integer, DayBucket> buckets(String customer) throws Exception {
        KeyedStateBackend<String> backend = ((AbstractStreamOperator<?>) harness.getOperator()).getKeyedStateBackend();
        backend.setCurrentKey(customer);
        MapStateDescriptor<Integer, DayBucket> d = Descriptors.dayBuckets();
        d.initializeSerializerUnlessSet(new ExecutionConfig());
        java.util.Map<Integer, DayBucket> out = new java.util.TreeMap<>();
        for (var e : backend.getPartitionedState(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, d).entries()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    @Test
    void theFaultDrillsPoisonReadingThrowsInTheFirstAttemptAndNoOtherReadingDoes() throws Exception {
        harness.close();
        open(config("testing.failOnceOnReadingId=C1-2024-01-02"));
        send(event(profile("C1", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        send(event(daily("C1", "2024-01-01", 100, ReadingQuality.ACTUAL)));
        assertThatThrownBy(() -> send(event(daily("C1", "2024-01-02", 100, ReadingQuality.ACTUAL))))
                .isInstanceOf(CustomerSegmenter.InjectedFault.class).hasMessageContaining("C1-2024-01-02");
        send(event(daily("C1", "2024-01-03", 100, ReadingQuality.ACTUAL)));
        assertThat(buckets("C1")).hasSize(2);
        assertThat(config().failOnceOnReadingId()).as("off unless configured").isNull();
    }

    @Test
    void reSentReadingCountsOnceAndACorrectionReplacesTheEstimate() throws Exception {
        send(event(profile("C1", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        send(event(daily("C1", "2024-01-01", 100, ReadingQuality.ACTUAL)));
        send(event(daily("C1", "2024-01-01", 100, ReadingQuality.ACTUAL)));    // re-sent
        send(event(daily("C1", "2024-01-02", 50, ReadingQuality.ESTIMATED)));
        send(event(daily("C1", "2024-01-02", 80, ReadingQuality.CORRECTED)));  // replaces the estimate
        send(event(daily("C1", "2024-01-02", 50, ReadingQuality.ESTIMATED)));  // the estimate again: ignored

        int jan1 = (int) LocalDate.parse("2024-01-01").toEpochDay();
        var days = buckets("C1");
        assertThat(days).containsOnlyKeys(jan1, jan1 + 1);
        assertThat(days.get(jan1).total()).isEqualTo(100.0);
        assertThat(days.get(jan1).readings()).isEqualTo(1);
        assertThat(days.get(jan1 + 1).total()).isEqualTo(80.0);
        assertThat(days.get(jan1 + 1).readings()).isEqualTo(1);
        assertThat(state("C1", Descriptors.consumption())).as("readings do not touch the history").isNull();
        assertThat(harness.numEventTimeTimers()).as("one evaluation per day with events").isEqualTo(2);
        assertThat(segments()).isEmpty(); // nothing is evaluated before the watermark passes the day

        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-02")));
        ConsumptionHistory h = state("C1", Descriptors.consumption());
        assertThat(h.kwhOn(jan1)).isEqualTo(100.0);
        assertThat(h.kwhOn(jan1 + 1)).isEqualTo(80.0);
        assertThat(buckets("C1").values()).allMatch(b -> b.folded);
        // a late correction of a day already evaluated goes straight into the history
        send(event(daily("C1", "2024-01-02", 90, ReadingQuality.CORRECTED)));
        assertThat(state("C1", Descriptors.consumption()).kwhOn(jan1 + 1)).isEqualTo(90.0);
    }

    @Test
    void evaluatesWhenTheWatermarkPassesTheDayThenTicksDaily() throws Exception {
        send(event(profile("C1", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        send(event(daily("C1", "2024-01-01", 1000, ReadingQuality.ACTUAL)));
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-01") - 1));
        assertThat(segments()).isEmpty();

        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-01")));
        assertThat(segments()).hasSize(1);
        CustomerSegment first = segments().get(0);
        assertThat(first.getCustomerId()).isEqualTo("C1");
        assertThat(first.getAsOf().toEpochMilli()).isEqualTo(dayEnd("2024-01-01"));
        // the customer joins its populations (exact tier counts are kept downstream of these)
        assertThat(harness.getSideOutput(Descriptors.POPULATION)).extracting(r -> r.getValue().joined)
                .hasSize(3).doesNotContain(-1);
        assertThat(harness.getSideOutput(Descriptors.POPULATION)).extracting(r -> r.getValue().left).containsOnly(-1);
        assertThat(harness.numEventTimeTimers()).as("the next daily tick").isEqualTo(1);

        // ten silent days: the tick keeps evaluating without any event
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-11")));
        SegmentMemory m = state("C1", Descriptors.memory());
        assertThat(m.evaluatedAt).isEqualTo(dayEnd("2024-01-11"));
        assertThat(m.nextTickAt).isEqualTo(dayEnd("2024-01-12"));
        assertThat(harness.numEventTimeTimers()).isEqualTo(1);
    }

    @Test
    void customerWithoutProfileIsNotSegmentedAndStopsTicking() throws Exception {
        send(event(daily("C2", "2024-01-01", 10, ReadingQuality.ACTUAL)));
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-03")));
        assertThat(segments()).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
        // the profile arrives: ticking starts again and the customer is segmented
        send(event(profile("C2", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE, "2024-01-04")));
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-04")));
        assertThat(segments()).hasSize(1);
        assertThat(segments().get(0).getCategory()).isEqualTo(CustomerCategory.RESIDENTIAL);
    }

    @Test
    void closedCustomerStateIsRemovedAfterItsRetention() throws Exception {
        harness.close();
        open(config("retention.closedCustomerDays=3"));
        send(event(profile("C3", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        send(event(daily("C3", "2024-01-01", 10, ReadingQuality.ACTUAL)));
        send(event(profile("C3", CustomerCategory.RESIDENTIAL, CustomerStatus.CLOSED, "2024-01-02")));
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-03")));
        assertThat(state("C3", Descriptors.memory()).closedOnDay).isEqualTo((int) LocalDate.parse("2024-01-02").toEpochDay());
        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-06")));
        assertThat(state("C3", Descriptors.memory())).isNull();
        assertThat(state("C3", Descriptors.consumption())).isNull();
        assertThat(state("C3", Descriptors.profiles())).isNull();
        assertThat(buckets("C3")).isEmpty();
        assertThat(harness.numEventTimeTimers()).isZero();
    }

    @Test
    void readingRegisterForgetsReadingsOlderThanTheCorrectionWindow() throws Exception {
        send(event(profile("C4", CustomerCategory.RESIDENTIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        for (int d = 1; d <= 20; d++) {
            String date = LocalDate.of(2024, 1, d).toString();
            send(event(daily("C4", date, 5, ReadingQuality.ACTUAL)));
            harness.processBothWatermarks(new Watermark(dayEnd(date)));
        }
        // buckets older than the correction window (7 days before the watermark's day) are gone
        assertThat(buckets("C4").keySet()).hasSizeBetween(7, 9)
                .allMatch(d -> d >= LocalDate.parse("2024-01-12").toEpochDay());
        List<Long> asOfs = segments().stream().map(s -> s.getAsOf().toEpochMilli()).collect(Collectors.toList());
        assertThat(asOfs).isSorted();
    }

    @Test
    void aFloodOfDistinctReadingIdsIsCappedPerCustomerDayAndTheExcessIsDeadLettered() throws Exception {
        harness.close();
        open(config("readings.maxPerCustomerDay=5"));
        send(event(profile("C1", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        send(event(profile("C2", CustomerCategory.GENERAL_INDUSTRIAL_COMMERCIAL, CustomerStatus.ACTIVE, "2024-01-01")));
        for (int i = 1; i <= 3; i++) {
            send(event(interval("C2", "C2-R" + i, "2024-01-01", i, 15, 2, ReadingQuality.ACTUAL)));
        }
        for (int i = 1; i <= 1000; i++) { // five fit, 995 are too many
            send(event(interval("C1", "C1-R" + i, "2024-01-01", 1 + i % 23, 15, 1, ReadingQuality.ESTIMATED)));
        }
        send(event(interval("C1", "C1-R1", "2024-01-01", 2, 15, 1, ReadingQuality.ESTIMATED)));  // re-sent: a duplicate
        send(event(interval("C1", "C1-R2", "2024-01-01", 3, 15, 4, ReadingQuality.CORRECTED)));  // a full day takes corrections
        send(event(interval("C1", "C1-N1", "2024-01-02", 1, 15, 7, ReadingQuality.ACTUAL)));     // the next day is another day

        var dead = harness.getSideOutput(Descriptors.DEAD_LETTERS);
        assertThat(dead).hasSize(995);
        assertThat(dead).extracting(r -> r.getValue().getReason()).containsOnly(DeadLetterReason.TOO_MANY_READINGS);
        DeadLetter first = dead.peek().getValue();
        assertThat(first.getDetail()).contains("2024-01-01", "5 distinct readings", "readings.maxPerCustomerDay");
        assertThat(StandardCharsets.UTF_8.decode(first.getKey()).toString()).isEqualTo("C1");
        assertThat(StandardCharsets.UTF_8.decode(first.getValue()).toString())
                .contains("\"readingId\":\"C1-R6\"", "\"customerId\":\"C1\"", "\"type\":\"MeterReading\"");

        int jan1 = (int) LocalDate.parse("2024-01-01").toEpochDay();
        var c1 = buckets("C1");
        assertThat(c1.get(jan1).readings()).as("bounded state").isEqualTo(5);
        assertThat(c1.get(jan1).total()).isEqualTo(1 + 4 + 1 + 1 + 1);
        assertThat(c1.get(jan1 + 1).total()).isEqualTo(7.0);
        assertThat(buckets("C2").get(jan1).total()).as("another customer's day is its own").isEqualTo(6.0);
        assertThat(harness.numEventTimeTimers()).as("the flood sets no timers").isEqualTo(3);

        harness.processBothWatermarks(new Watermark(dayEnd("2024-01-02")));
        assertThat(state("C1", Descriptors.consumption()).kwhOn(jan1)).isEqualTo(8.0);
        assertThat(state("C2", Descriptors.consumption()).kwhOn(jan1)).isEqualTo(6.0);
        assertThat(segments()).extracting(CustomerSegment::getCustomerId).contains("C1", "C2");
    }
}
