package io.gridtier.tierservice.api;

import io.gridtier.tierservice.TierViewService;
import io.gridtier.tierservice.security.Role;
import io.gridtier.tierservice.security.TokenRegistry;
import io.gridtier.tierservice.support.Http;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.ServiceFixture;
import io.gridtier.tierservice.support.TestClock;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Access control over time, through HTTP, on a clock the test moves: a token revoked in the tokens file, a
 * token that expires, and an address that fails too often. No test waits for the wall clock.
 */
class AccessControlOverTimeTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private final TestClock clock = new TestClock(START);
    private final Path work = TestWork.newDir("access-over-time");
    private final Path tokensFile = work.resolve("tokens");
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        TestWork.deleteTree(work);
    }

    private Http start(String... extra) {
        List<String> args = new ArrayList<>(List.of("--tokens", tokensFile.toString()));
        args.addAll(List.of(extra));
        TierViewService service = new TierViewService(ServiceFixture.config(work.resolve("store"), "127.0.0.1:9",
                "customer-segments", "segment-alerts", args.toArray(String[]::new)), false, clock).start();
        toClose.add(service);
        Segments.put(service.store(), Segments.of("C100", 80, 10, 95, "2016-01-01T00:00:00Z"));
        return new Http(service.port());
    }

    private void writeTokens(int version, String... lines) throws IOException {
        Files.write(tokensFile, List.of(lines), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(tokensFile, FileTime.from(START.plusSeconds(version)));
    }

    @Test
    void aTokenDeletedFromTheFileIsRefusedAfterTheReloadIntervalWithoutARestart() throws IOException {
        String dana = TokenRegistry.newToken("dana0001");
        String erin = TokenRegistry.newToken("erin0001");
        writeTokens(1, TokenRegistry.line(dana, Role.AGENT, "dana", false), TokenRegistry.line(erin, Role.AGENT, "erin", false));
        Http http = start("--tokens-reload-seconds", "5");
        assertThat(http.get("/api/customers/C100", dana).status()).isEqualTo(200);

        writeTokens(2, "# dana has left", TokenRegistry.line(erin, Role.AGENT, "erin", false));
        clock.advance(Duration.ofSeconds(5));
        Http.Response revoked = http.get("/api/customers/C100", dana);
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("message").asText()).contains("not valid");
        assertThat(http.get("/api/customers/C100", erin).status()).isEqualTo(200);
        assertThat(http.get("/api/customers/C100", TestTokens.AGENT).status()).as("the inline tokens stay").isEqualTo(200);
        assertThat(http.get("/metrics", TestTokens.SERVICE).body())
                .contains("tier_service_token_file_reloads_total{outcome=\"loaded\"} 1.0")
                .contains("tier_service_token_file_reloads_total{outcome=\"failed\"} 0.0");
    }

    @Test
    void anExpiredTokenIsA401ThatSaysItHasExpired() throws IOException {
        String fay = TokenRegistry.newToken("fay00001");
        writeTokens(1, TokenRegistry.line(fay, Role.AGENT, "fay", false, Optional.of(START.plus(Duration.ofHours(8)))));
        Http http = start();
        assertThat(http.get("/api/customers/C100", fay).status()).isEqualTo(200);
        clock.advance(Duration.ofHours(8));
        Http.Response expired = http.get("/api/customers/C100", fay);
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().path("message").asText()).contains("expired");
        assertThat(http.get("/metrics", TestTokens.SERVICE).body())
                .contains("tier_service_auth_denied_total{reason=\"expired_token\",route=\"/api/customers/{id}\"} 1.0");
    }

    @Test
    void anAddressThatFailsTooOftenGets429sEvenWithAGoodTokenUntilTheMinuteHasPassed() throws IOException {
        writeTokens(1, "# only the inline tokens");
        Http http = start("--auth-failures-per-minute", "3");
        String wrong = "gt_agent01_" + "A".repeat(43);
        for (int i = 0; i < 3; i++) {
            assertThat(http.get("/api/customers/C100", wrong).status()).isEqualTo(401);
            clock.advance(Duration.ofSeconds(10));
        }
        Http.Response blocked = http.get("/api/customers/C100", TestTokens.AGENT);
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.header("Retry-After")).isEqualTo("30");
        assertThat(blocked.json().path("error").asText()).isEqualTo("too_many_failed_authentications");
        assertThat(http.get("/api/customers/C100", wrong).status()).as("no answer to guesses either").isEqualTo(429);
        assertThat(http.get("/health", null).status()).as("endpoints without a token are not limited").isEqualTo(200);

        clock.advance(Duration.ofSeconds(29));
        assertThat(http.get("/api/customers/C100", TestTokens.AGENT).status()).isEqualTo(429);
        clock.advance(Duration.ofSeconds(1));
        assertThat(http.get("/api/customers/C100", TestTokens.AGENT).status()).isEqualTo(200);
        String metrics = http.get("/metrics", TestTokens.SERVICE).body();
        assertThat(metrics).contains("tier_service_auth_denied_total{reason=\"too_many_failures\",route=\"/api/customers/{id}\"} 3.0")
                .contains("tier_service_auth_denied_total{reason=\"invalid_token\",route=\"/api/customers/{id}\"} 3.0")
                .contains("tier_service_auth_blocked_addresses 0.0");
    }
}
