package io.gridtier.tierservice.api;

import io.gridtier.tierservice.TierViewService;
import io.gridtier.tierservice.support.Http;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.ServiceFixture;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HTTP clients over loopback: thousands of connections whose headers trickle in and whose bodies never
 * end must not take /health or lookups down, silent connections are closed, and the connection cap frees slots.
 * Latencies are printed, not asserted (the load figures come from {@code TierService bench --slow-connections}).
 */
class SlowClientsTest {
    private static final int SLOW = 2_000;

    @Test
    void lookupsAndHealthAnswerWhileTwoThousandSlowClientsHoldConnections() throws Exception {
        Path work = TestWork.newDir("slow-clients");
        TierViewService service = ServiceFixture.offline(work.resolve("store"), "--http-max-connections", "2500");
        List<Socket> slow = new ArrayList<>();
        try {
            Segments.put(service.store(), Segments.of("C1", 82.5, 70, 80, "2016-07-01T00:00:00Z"));
            Http http = new Http(service.port());
            long[] quiet = lookups(http, 100);
            for (int i = 0; i < SLOW; i++) {
                Socket s = new Socket("127.0.0.1", service.port());
                s.getOutputStream().write("GET /api/customers/C1 HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "
                        .getBytes(StandardCharsets.US_ASCII)); // headers never finished
                slow.add(s);
            }
            for (Socket s : slow) {
                s.getOutputStream().write('x'); // one more byte each: they are trickling, not gone
            }
            // bodies announced and never sent: each is answered (the API reads none) and closed, none waits on it
            for (String method : List.of("GET", "POST")) {
                try (Socket s = new Socket("127.0.0.1", service.port())) {
                    s.setSoTimeout(20_000);
                    s.getOutputStream().write((method + " /api/customers/C1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                            + "Authorization: Bearer " + TestTokens.AGENT + "\r\nContent-Length: 1000000\r\n\r\nab")
                            .getBytes(StandardCharsets.US_ASCII));
                    String reply = new String(s.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
                    assertThat(reply).isEqualTo(method.equals("GET") ? "HTTP/1.1 200" : "HTTP/1.1 405");
                }
            }
            long[] loaded = lookups(http, 100);
            System.out.printf(Locale.ROOT, "SlowClientsTest: lookup p50/p99 %.2f/%.2f ms alone, %.2f/%.2f ms beside %d "
                    + "slow connections%n", ms(quiet, 50), ms(quiet, 99), ms(loaded, 50), ms(loaded, 99), SLOW);
            assertThat(http.get("/health", null).status()).isEqualTo(200);
            int stillOpen = 0;
            for (Socket s : slow) {
                s.setSoTimeout(1);
                try {
                    stillOpen += s.getInputStream().read() < 0 ? 0 : 1;
                } catch (SocketTimeoutException e) {
                    stillOpen++; // nothing to read and not closed: the server still holds it open
                }
            }
            assertThat(stillOpen).as("the slow connections were held, not refused, while the lookups ran")
                    .isGreaterThan(SLOW * 9 / 10);
        } finally {
            for (Socket s : slow) {
                s.close();
            }
            service.close();
            TestWork.deleteTree(work);
        }
    }

    @Test
    void aConnectionThatGoesSilentMidRequestIsClosedAfterTheIdleTimeout() throws Exception {
        Path work = TestWork.newDir("slow-clients-idle");
        TierViewService service = ServiceFixture.offline(work.resolve("store"), "--http-idle-timeout-seconds", "1");
        try (Socket s = new Socket("127.0.0.1", service.port())) {
            s.getOutputStream().write("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(20_000); // far beyond the 1 s idle timeout: a timeout here means the server kept it open
            byte[] rest = s.getInputStream().readAllBytes();
            assertThat(new String(rest, StandardCharsets.US_ASCII)).as("closed without answering a request it never got")
                    .doesNotContain("200 OK");
            assertThat(new Http(service.port()).get("/health", null).status()).isEqualTo(200);
        } finally {
            service.close();
            TestWork.deleteTree(work);
        }
    }

    @Test
    void atTheConnectionCapIdleConnectionsAreClosedSoThatANewClientIsAnswered() throws Exception {
        Path work = TestWork.newDir("slow-clients-cap");
        TierViewService service = ServiceFixture.offline(work.resolve("store"), "--http-max-connections", "16",
                "--http-idle-timeout-seconds", "600");
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 16; i++) {
                Socket s = new Socket("127.0.0.1", service.port());
                s.getOutputStream().write("GET /health HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII));
                idle.add(s);
            }
            // the 17th waits for a slot; idle connections at the cap get a short idle timeout instead of 600 s
            assertThat(new Http(service.port()).get("/api/me", TestTokens.AGENT).status()).isEqualTo(200);
            int closed = 0;
            for (Socket s : idle) {
                s.setSoTimeout(1);
                try (InputStream in = s.getInputStream()) {
                    while (in.read() >= 0) {
                        // the server may answer 400/408 before it closes
                    }
                    closed++;
                } catch (SocketTimeoutException e) {
                    // still open
                } catch (IOException e) {
                    closed++; // reset
                }
            }
            assertThat(closed).as("idle connections closed at the cap").isGreaterThan(0);
        } finally {
            for (Socket s : idle) {
                s.close();
            }
            service.close();
            TestWork.deleteTree(work);
        }
    }

    /** Nanoseconds of n lookups of a known customer, one after another, sorted. */
    private static long[] lookups(Http http, int n) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            Http.Response r = http.get("/api/customers/C1", TestTokens.AGENT);
            nanos[i] = System.nanoTime() - t;
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.json().path("customerId").asText()).isEqualTo("C1");
        }
        Arrays.sort(nanos);
        return nanos;
    }

    private static double ms(long[] sorted, int percentile) {
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1e6;
    }
}
