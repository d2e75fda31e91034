package io.gridtier.tierservice.api;

import java.time.Duration;

/**
 * What one HTTP client can take from the service: a thread only while its request is answered (headers are read
 * without one), a connection slot until it has been silent for {@code idleTimeout}, and one of at most
 * {@code maxConnections} slots.
 *
 * @param threads        requests answered at once; more wait in a bounded queue
 * @param idleTimeout    a connection that sends or reads nothing for this long is closed
 * @param maxConnections open connections at most; at the cap none is accepted and idle ones are closed sooner
 */
public record HttpLimits(int threads, Duration idleTimeout, int maxConnections) {
    /** How soon an idle connection is closed while the service is at its connection cap. */
    public static final Duration IDLE_TIMEOUT_AT_CAP = Duration.ofSeconds(2);

    public HttpLimits {
        if (threads < 1 || maxConnections < 1 || idleTimeout.isNegative() || idleTimeout.isZero()) {
            throw new IllegalArgumentException("threads, maxConnections and idleTimeout must be positive: " + this);
        }
    }
}
