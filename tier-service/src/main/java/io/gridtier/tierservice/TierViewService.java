package io.gridtier.tierservice;

import io.gridtier.tierservice.api.ApiServer;
import io.gridtier.tierservice.api.HttpLimits;
import io.gridtier.tierservice.ingest.TopicIngestor;
import io.gridtier.tierservice.ingest.ViewStatus;
import io.gridtier.tierservice.metrics.ServiceMetrics;
import io.gridtier.tierservice.security.FailedAuthLimiter;
import io.gridtier.tierservice.security.IdHasher;
import io.gridtier.tierservice.security.TokenRegistry;
import io.gridtier.tierservice.store.SegmentStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;

/**
 * One running tier service: the store, the ingestor that keeps it up to date, and the HTTP server that answers
 * from it. Started and stopped as a whole; stopping closes the HTTP side first, then the ingestor (so no batch
 * is half written), then the store.
 */
public final class TierViewService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TierViewService.class);

    private final SegmentStore store;
    private final ViewStatus status;
    private final ServiceMetrics metrics;
    private final TopicIngestor ingestor;
    private final ApiServer api;

    public TierViewService(ServiceConfig config) {
        this(config, true);
    }

    /**
     * With {@code ingest} false the view is not connected to Kafka and stays not ready: for tests of the API
     * over a store filled directly.
     */
    public TierViewService(ServiceConfig config, boolean ingest) {
        this(config, ingest, Clock.systemUTC());
    }

    /** @param clock judges token expiry, when to look at the tokens file again, and failed-authentication windows */
    public TierViewService(ServiceConfig config, boolean ingest, Clock clock) {
        TokenRegistry tokens = TokenRegistry.load(config.tokensFile(), config.tokensInline(), clock, config.tokensReload());
        FailedAuthLimiter limiter = new FailedAuthLimiter(config.authFailuresPerMinute(), Duration.ofMinutes(1), clock);
        if (config.logKey().isEmpty()) {
            LOG.warn("no --log-key: customer-id pseudonyms in the access log change at every start");
        }
        this.store = SegmentStore.open(config.storeDir(), config.blockCacheBytes());
        this.status = new ViewStatus(config.staleLagRecords(), config.staleAfterNoContact().toMillis());
        this.metrics = new ServiceMetrics();
        metrics.bind(status, store);
        metrics.bindAuth(tokens, limiter);
        this.ingestor = !ingest ? null : new TopicIngestor(config.bootstrapServers(), config.segmentsTopic(), config.alertsTopic(),
                config.kafkaOverrides(), config.historyRetention().orElse(null), store, status, metrics);
        try {
            this.api = new ApiServer(config.bind(), config.port(),
                    new HttpLimits(config.httpThreads(), config.httpIdleTimeout(), config.httpMaxConnections()), store, status, metrics, tokens,
                    limiter, new IdHasher(config.logKey()), config.zone(), config.accessLog());
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot listen on " + config.bind() + ":" + config.port() + ": " + e.getMessage(), e);
        }
        LOG.info("store {}: {} customers, resuming {} partitions; {} API tokens", config.storeDir(),
                store.customerCount(), store.offsets().size(), tokens.size());
    }

    public TierViewService start() {
        if (ingestor != null) {
            ingestor.start();
        }
        api.start();
        return this;
    }

    public int port() {
        return api.port();
    }

    public ViewStatus status() {
        return status;
    }

    public SegmentStore store() {
        return store;
    }

    public ServiceMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        api.close();
        if (ingestor != null) {
            ingestor.close();
        }
        store.close();
        LOG.info("tier service stopped");
    }
}
