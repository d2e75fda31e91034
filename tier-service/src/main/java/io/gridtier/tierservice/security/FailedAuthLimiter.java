package io.gridtier.tierservice.security;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Limits failed authentications per client address, so that nobody can try tokens as fast as the service
 * answers: after {@code maxFailures} failures within a window (from an address's first failure), every request
 * from that address that needs a token is refused (429) until the window has passed, with a valid token too —
 * otherwise a correct guess would still be recognised. A request with no token at all is not an attempt and
 * is not counted.
 *
 * <p>At most {@value #MAX_ADDRESSES} addresses are tracked: when full, windows that have passed are dropped,
 * then a tenth of the others (so many addresses within a minute can escape the limit, which per-address
 * counting cannot stop anyway). Behind a proxy every client has the proxy's address, so one client's failures would lock
 * all out: there, raise the limit or set it to 0 (off) and limit at the proxy.
 */
public final class FailedAuthLimiter {
    static final int MAX_ADDRESSES = 10_000;

    private final int maxFailures;
    private final long windowMillis;
    private final Clock clock;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    /** Failures of one address since {@code start}. */
    private static final class Window {
        final long start;
        int failures;

        Window(long start) {
            this.start = start;
        }
    }

    /** @param maxFailures failures allowed per window; 0 turns the limit off */
    public FailedAuthLimiter(int maxFailures, Duration window, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** Seconds until {@code address} may try again (rounded up), or 0 when it is not blocked. */
    public long retryAfterSeconds(String address) {
        if (maxFailures <= 0) {
            return 0;
        }
        Window w = windows.get(address);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            long left = w.start + windowMillis - clock.millis();
            if (left <= 0) {
                windows.remove(address, w);
                return 0;
            }
            return w.failures >= maxFailures ? (left + 999) / 1000 : 0;
        }
    }

    /** Counts a failed authentication from {@code address}. */
    public void failed(String address) {
        if (maxFailures <= 0) {
            return;
        }
        long now = clock.millis();
        if (windows.size() >= MAX_ADDRESSES && !windows.containsKey(address)) {
            makeRoom(now);
        }
        while (true) {
            Window w = windows.computeIfAbsent(address, a -> new Window(now));
            synchronized (w) {
                if (w.start + windowMillis <= now) {
                    windows.remove(address, w); // its window has passed: this failure starts a new one
                    continue;
                }
                w.failures++;
                return;
            }
        }
    }

    /** Addresses refused at the moment. */
    public int blockedAddresses() {
        long now = clock.millis();
        int n = 0;
        for (Window w : windows.values()) {
            synchronized (w) {
                if (w.failures >= maxFailures && w.start + windowMillis > now) {
                    n++;
                }
            }
        }
        return n;
    }

    private void makeRoom(long now) {
        windows.entrySet().removeIf(e -> e.getValue().start + windowMillis <= now);
        // still full (addresses by the thousand within a minute): drop a tenth, in the map's (hash) order
        int drop = windows.size() - MAX_ADDRESSES * 9 / 10;
        for (var it = windows.keySet().iterator(); drop > 0 && it.hasNext(); drop--) {
            it.next();
            it.remove();
        }
    }

    int trackedAddresses() {
        return windows.size();
    }
}
