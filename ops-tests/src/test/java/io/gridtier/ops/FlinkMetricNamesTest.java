package io.gridtier.ops;

import org.apache.flink.api.common.JobID;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kafka.source.metrics.KafkaSourceReaderMetrics;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.prometheus.PrometheusReporter;
import org.apache.flink.metrics.prometheus.PrometheusReporterFactory;
import org.apache.flink.runtime.checkpoint.DefaultCheckpointStatsTracker;
import org.apache.flink.runtime.clusterframework.types.ResourceID;
import org.apache.flink.runtime.executiongraph.ExecutionAttemptID;
import org.apache.flink.runtime.metrics.MetricNames;
import org.apache.flink.runtime.metrics.MetricRegistry;
import org.apache.flink.runtime.metrics.filter.ReporterFilter;
import org.apache.flink.runtime.metrics.groups.AbstractMetricGroup;
import org.apache.flink.runtime.metrics.groups.FrontMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalOperatorMetricGroup;
import org.apache.flink.runtime.metrics.groups.InternalSourceReaderMetricGroup;
import org.apache.flink.runtime.metrics.groups.JobManagerJobMetricGroup;
import org.apache.flink.runtime.metrics.groups.JobManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.ReporterScopedSettings;
import org.apache.flink.runtime.metrics.groups.TaskManagerMetricGroup;
import org.apache.flink.runtime.metrics.groups.TaskMetricGroup;
import org.apache.flink.runtime.metrics.scope.ScopeFormats;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flink_* names in exported-metrics.txt are what Flink 2.2.1's PrometheusReporter really
 * exports. Metrics are registered by Flink's and the Kafka connector's own code where it can run
 * without a cluster (task I/O metrics, checkpoint statistics, source reader, Kafka consumer); the
 * few registered deep inside the scheduler use Flink's MetricNames constants; the job's "gridtier"
 * group repeats the registrations of flink-jobs (DecodeAndValidate, LatenessGate, CustomerSegmenter).
 * The reporter then serves them over HTTP, as a scrape would see them.
 */
class FlinkMetricNamesTest {
    private static Set<String> scraped;
    private static String exposition;

    @BeforeAll
    static void scrape() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        MetricConfig config = new MetricConfig();
        config.setProperty("port", String.valueOf(port));
        PrometheusReporter reporter = new PrometheusReporterFactory().createMetricReporter(config);
        reporter.open(config);
        try {
            MetricRegistry registry = registryReportingTo(reporter);
            registerJobManagerMetrics(registry);
            registerTaskManagerMetrics(registry);
            try (InputStream in = URI.create("http://127.0.0.1:" + port + "/metrics").toURL().openStream()) {
                exposition = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } finally {
            reporter.close();
        }
        scraped = exposition.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.replaceAll("[{ ].*", "")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void registerJobManagerMetrics(MetricRegistry registry) {
        JobManagerMetricGroup jobManager = JobManagerMetricGroup.createJobManagerMetricGroup(registry, "jobmanager-host");
        jobManager.gauge(MetricNames.NUM_RUNNING_JOBS, () -> 1L);
        JobManagerJobMetricGroup job = jobManager.addJob(new JobID(), "gridtier segmentation (Kafka)");
        job.gauge(MetricNames.NUM_RESTARTS, () -> 0L);
        new DefaultCheckpointStatsTracker(10, job);
    }

    private static void registerTaskManagerMetrics(MetricRegistry registry) throws Exception {
        TaskMetricGroup task = TaskManagerMetricGroup.createTaskManagerMetricGroup(registry, "taskmanager-host", new ResourceID("tm-1"))
                .addJob(new JobID(), "gridtier segmentation (Kafka)")
                .addTask(ExecutionAttemptID.randomId(), "Source: kafka");
        task.getIOMetricGroup(); // backPressuredTimeMsPerSecond, busyTimeMsPerSecond, ...

        InternalOperatorMetricGroup source = task.getOrAddOperator("kafka: meter-readings");
        source.getIOMetricGroup();
        source.gauge(MetricNames.IO_CURRENT_OUTPUT_WATERMARK, () -> 0L);
        InternalSourceReaderMetricGroup reader = InternalSourceReaderMetricGroup.wrap(source);
        reader.setPendingRecordsGauge(() -> 0L);
        KafkaSourceReaderMetrics kafka = new KafkaSourceReaderMetrics(reader);
        kafka.registerTopicPartition(new TopicPartition("meter-readings", 0));
        Properties client = new Properties();
        client.setProperty("bootstrap.servers", "127.0.0.1:9"); // never contacted
        client.setProperty("group.id", "gridtier-segmentation");
        client.setProperty("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        client.setProperty("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(client)) {
            kafka.registerKafkaConsumerMetrics(consumer);
        }

        // flink-jobs' group "gridtier": the same calls as DecodeAndValidate, LatenessGate and CustomerSegmenter
        MetricGroup gridtier = task.getOrAddOperator("customer-segmenter").addGroup("gridtier");
        gridtier.addGroup("reason", "TOO_LATE").counter("dead_letters");
        gridtier.addGroup("type", "READING").addGroup("outcome", "applied").counter("events");
        gridtier.addGroup("alert_type", "CHURN_RISK_RAISED").counter("alerts_emitted");
        gridtier.counter("segments_emitted");
        gridtier.addGroup("model_version", "gridtier-model-1.0").gauge("model_info", () -> 1);
        gridtier.addGroup("outcome", "refused").counter("model_updates");
        gridtier.addGroup("input", "READING").gauge("event_time_lag_ms", () -> 0L);
        // TierPopulation
        task.getOrAddOperator("tier-population").addGroup("gridtier").addGroup("population", "KEY_ACCOUNT")
                .gauge("customers", () -> 0L);
    }

    private static MetricRegistry registryReportingTo(PrometheusReporter reporter) {
        ReporterScopedSettings<Metric> settings =
                new ReporterScopedSettings<>(0, '.', ReporterFilter.getNoOpFilter(), Set.of(), Map.of());
        ScopeFormats scopes = ScopeFormats.fromConfig(new Configuration());
        return new MetricRegistry() {
            @Override
            public char getDelimiter() {
                return '.';
            }

            @Override
            public int getNumberReporters() {
                return 1;
            }

            @Override
            public void addSpan(org.apache.flink.traces.SpanBuilder span, AbstractMetricGroup<?> group) {
            }

            @Override
            public void addEvent(org.apache.flink.events.EventBuilder event, AbstractMetricGroup<?> group) {
            }

            @Override
            public void register(Metric metric, String name, AbstractMetricGroup<?> group) {
                reporter.notifyOfAddedMetric(metric, name, new FrontMetricGroup<>(settings, group));
            }

            @Override
            public void unregister(Metric metric, String name, AbstractMetricGroup<?> group) {
            }

            @Override
            public ScopeFormats getScopeFormats() {
                return scopes;
            }
        };
    }

    @Test
    void everyDeclaredFlinkMetricIsExportedUnderThatName() {
        Set<String> declared = MetricNamesTest.declared().stream().filter(n -> n.startsWith("flink_"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(declared).hasSizeGreaterThan(10);
        assertThat(scraped).as("names Flink's Prometheus reporter exports").containsAll(declared);
    }

    @Test
    void keyValueGroupsPutTheKeyInTheNameAndTheValueInALabel() {
        assertThat(exposition).containsPattern(
                "flink_taskmanager_job_task_operator_gridtier_reason_dead_letters\\{[^}]*reason=\"TOO_LATE\"");
        assertThat(exposition).containsPattern(
                "flink_taskmanager_job_task_operator_KafkaSourceReader_topic_partition_currentOffset\\{[^}]*topic=\"meter_readings\"");
        assertThat(scraped).doesNotContain("flink_taskmanager_job_task_operator_gridtier_dead_letters");
    }
}
