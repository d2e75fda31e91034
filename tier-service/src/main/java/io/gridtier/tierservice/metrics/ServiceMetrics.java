package io.gridtier.tierservice.metrics;

import io.gridtier.tierservice.ingest.ViewStatus;
import io.gridtier.tierservice.security.FailedAuthLimiter;
import io.gridtier.tierservice.security.TokenRegistry;
import io.gridtier.tierservice.store.SegmentStore;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The service's Prometheus metrics, in a registry of its own (so that several instances can live in one JVM
 * in tests). Served at {@code /metrics} to the service role.
 */
public final class ServiceMetrics {
    private static final double[] LATENCY_BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
            1, 2.5};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram requestDuration;
    private final Counter lookups;
    private final Counter authDenied;
    private final Counter refused;
    private final Counter recordsApplied;
    private final Counter recordsSkipped;
    private final Histogram batchDuration;
    private final Counter pruned;
    private final Counter pruneSweeps;

    public ServiceMetrics() {
        requestDuration = Histogram.builder().name("tier_service_http_request_duration_seconds")
                .help("Time to answer an HTTP request, by route and status code.")
                .labelNames("route", "status").classicOnly().classicUpperBounds(LATENCY_BUCKETS)
                .withoutExemplars().register(registry);
        lookups = Counter.builder().name("tier_service_customer_lookups_total")
                .help("Customer lookups by kind (current, at, history) and outcome (found, not_found, bad_request).")
                .labelNames("kind", "outcome").withoutExemplars().register(registry);
        authDenied = Counter.builder().name("tier_service_auth_denied_total")
                .help("Requests refused by access control: missing_token, invalid_token, expired_token (401), forbidden "
                        + "(403) or too_many_failures (429).")
                .labelNames("reason", "route").withoutExemplars().register(registry);
        refused = Counter.builder().name("tier_service_http_refused_total")
                .help("Requests the HTTP server refused before the API read them (a path that is not a URI or climbs "
                        + "above /, headers too large), by status code; not in tier_service_http_request_duration_seconds.")
                .labelNames("status").withoutExemplars().register(registry);
        recordsApplied = Counter.builder().name("tier_service_records_applied_total")
                .help("Kafka records applied to the view, by topic.")
                .labelNames("topic").withoutExemplars().register(registry);
        recordsSkipped = Counter.builder().name("tier_service_records_skipped_total")
                .help("Kafka records that could not be used, by topic and reason.")
                .labelNames("topic", "reason").withoutExemplars().register(registry);
        batchDuration = Histogram.builder().name("tier_service_ingest_batch_duration_seconds")
                .help("Time to apply one polled batch of records to the store.")
                .classicOnly().classicUpperBounds(LATENCY_BUCKETS).withoutExemplars().register(registry);
        pruned = Counter.builder().name("tier_service_history_pruned_total")
                .help("Timeline entries (family=history) and segment versions (family=versions) removed by the retention.")
                .labelNames("family").withoutExemplars().register(registry);
        pruneSweeps = Counter.builder().name("tier_service_history_prune_sweeps_total")
                .help("Completed retention sweeps over every customer.")
                .withoutExemplars().register(registry);
        JvmMetrics.builder().register(registry);
    }

    /** Gauges read from the view and the store at scrape time. */
    public void bind(ViewStatus status, SegmentStore store) {
        GaugeWithCallback.builder().name("tier_service_consumer_lag_records")
                .help("Records the view is behind, by topic and partition (read_committed: up to the last stable offset).")
                .labelNames("topic", "partition")
                .callback(cb -> status.lagByPartition().forEach((tp, lag) ->
                        cb.call(lag, tp.topic(), Integer.toString(tp.partition()))))
                .register(registry);
        GaugeWithCallback.builder().name("tier_service_view_ready")
                .help("1 once the view has caught up with the topics and its ingestor runs, else 0.")
                .callback(cb -> cb.call(status.ready() ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("tier_service_view_stale")
                .help("1 when answers may be out of date (lagging, or the broker silent), else 0.")
                .callback(cb -> cb.call(status.stale(System.currentTimeMillis()) ? 1 : 0)).register(registry);
        GaugeWithCallback.builder().name("tier_service_broker_contact_age_seconds")
                .help("Seconds since the broker last answered the ingestor.")
                .callback(cb -> {
                    long last = status.lastContactMillis();
                    if (last > 0) {
                        cb.call((System.currentTimeMillis() - last) / 1000.0);
                    }
                }).register(registry);
        GaugeWithCallback.builder().name("tier_service_store_customers")
                .help("Customers with a current segment in the store.")
                .callback(cb -> cb.call(store.customerCount())).register(registry);
        GaugeWithCallback.builder().name("tier_service_store_size_bytes")
                .help("Size of the store: SST files on disk plus memtables.")
                .callback(cb -> cb.call(store.sizeBytes())).register(registry);
    }

    /** Gauges and counters of access control read at scrape time. */
    public void bindAuth(TokenRegistry tokens, FailedAuthLimiter limiter) {
        GaugeWithCallback.builder().name("tier_service_auth_blocked_addresses")
                .help("Client addresses refused (429) for too many failed authentications at the moment.")
                .callback(cb -> cb.call(limiter.blockedAddresses())).register(registry);
        CounterWithCallback.builder().name("tier_service_token_file_reloads")
                .help("Times the changed tokens file was re-read: outcome=loaded, or failed (the tokens in force stay).")
                .labelNames("outcome")
                .callback(cb -> {
                    cb.call(tokens.reloads(), "loaded");
                    cb.call(tokens.reloadFailures(), "failed");
                }).register(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    public void request(String route, int status, double seconds) {
        requestDuration.labelValues(route, Integer.toString(status)).observe(seconds);
    }

    public void lookup(String kind, String outcome) {
        lookups.labelValues(kind, outcome).inc();
    }

    public double lookupCount(String kind, String outcome) {
        return lookups.labelValues(kind, outcome).get();
    }

    public void denied(String reason, String route) {
        authDenied.labelValues(reason, route).inc();
    }

    public double deniedCount(String reason, String route) {
        return authDenied.labelValues(reason, route).get();
    }

    /** A request Jetty answered itself ({@code JsonErrorHandler}), before any route saw it. */
    public void refused(int status) {
        refused.labelValues(Integer.toString(status)).inc();
    }

    public double refusedCount(int status) {
        return refused.labelValues(Integer.toString(status)).get();
    }

    public void applied(String topic, long n) {
        if (n > 0) {
            recordsApplied.labelValues(topic).inc(n);
        }
    }

    public void skipped(String topic, String reason) {
        recordsSkipped.labelValues(topic, reason).inc();
    }

    /** Exports the skip counters of a topic at 0 before any skip (a series that first appears at 1 shows no increase). */
    public void expectSkips(String topic, java.util.List<String> reasons) {
        reasons.forEach(reason -> recordsSkipped.initLabelValues(topic, reason));
    }

    public double skippedCount(String topic, String reason) {
        return recordsSkipped.labelValues(topic, reason).get();
    }

    public void batch(double seconds) {
        batchDuration.observe(seconds);
    }

    public void pruned(long historyEntries, long versions) {
        if (historyEntries > 0) {
            pruned.labelValues("history").inc(historyEntries);
        }
        if (versions > 0) {
            pruned.labelValues("versions").inc(versions);
        }
    }

    public void pruneSweepDone() {
        pruneSweeps.inc();
    }

    public double pruneSweeps() {
        return pruneSweeps.get();
    }
}
