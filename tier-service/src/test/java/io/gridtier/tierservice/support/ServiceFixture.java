package io.gridtier.tierservice.support;

import io.gridtier.tierservice.ServiceConfig;
import io.gridtier.tierservice.TierViewService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Starts a tier service inside the test JVM on a free port, over a store folder the test chooses. */
public final class ServiceFixture {
    private ServiceFixture() {
    }

    public static ServiceConfig config(Path store, String bootstrap, String segmentsTopic, String alertsTopic,
                                       String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "--store", store.toString(),
                "--port", "0",
                "--bootstrap-servers", bootstrap,
                "--segments-topic", segmentsTopic,
                "--alerts-topic", alertsTopic,
                "--tokens-inline", TestTokens.INLINE,
                "--log-key", "test-log-key",
                "--zone", "Asia/Shanghai",
                "--http-threads", "8",
                "--block-cache-mb", "32"));
        args.addAll(List.of(extra));
        return ServiceConfig.fromArgs(args, Map.of());
    }

    /** A service reading Kafka. */
    public static TierViewService start(Path store, String bootstrap, String segmentsTopic, String alertsTopic,
                                        String... extra) {
        return new TierViewService(config(store, bootstrap, segmentsTopic, alertsTopic, extra)).start();
    }

    /** A service not connected to Kafka, over a store the test fills directly. */
    public static TierViewService offline(Path store, String... extra) {
        return new TierViewService(config(store, "127.0.0.1:9", "customer-segments", "segment-alerts", extra), false)
                .start();
    }
}
