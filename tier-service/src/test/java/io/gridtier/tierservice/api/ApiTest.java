package io.gridtier.tierservice.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridtier.schema.AlertType;
import io.gridtier.schema.CustomerSegment;
import io.gridtier.tierservice.TierViewService;
import io.gridtier.tierservice.bench.SyntheticSegments;
import io.gridtier.tierservice.support.Http;
import io.gridtier.tierservice.support.Segments;
import io.gridtier.tierservice.support.ServiceFixture;
import io.gridtier.tierservice.support.TestTokens;
import io.gridtier.tierservice.support.TestWork;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The API over a store filled directly (no Kafka): every role against every endpoint, and every error case.
 */
class ApiTest {
    private static Path work;
    private static TierViewService service;
    private static Http http;
    private static CustomerSegment keyAccount;
    /** Wall time just before the store was filled: every segment was received after it. */
    private static long filledFrom;

    @BeforeAll
    static void start() {
        work = TestWork.newDir("api");
        service = ServiceFixture.offline(work.resolve("store"));
        http = new Http(service.port());
        filledFrom = System.currentTimeMillis();
        CustomerSegment v1 = Segments.of("C100", 60, 10, 95, "2016-01-01T00:00:00Z");
        CustomerSegment v2 = Segments.of("C100", 65, 50, 95, "2016-04-01T00:00:00Z");
        keyAccount = Segments.of("C100", 82.5, 70, 80, "2016-07-01T00:00:00Z");
        Segments.put(service.store(), v1);
        Segments.put(service.store(), v2);
        Segments.put(service.store(), keyAccount);
        Segments.put(service.store(),
                SyntheticSegments.alert(v2, AlertType.CHURN_RISK_RAISED, "LOW", "ELEVATED"),
                SyntheticSegments.alert(keyAccount, AlertType.KEY_ACCOUNT_ENTERED, "HIGH_VALUE", "KEY_ACCOUNT"),
                SyntheticSegments.alert(keyAccount, AlertType.CHURN_RISK_RAISED, "ELEVATED", "HIGH"),
                SyntheticSegments.alert(keyAccount, AlertType.CREDIT_DOWNGRADED, "A", "B"));
        for (int i = 0; i < 12; i++) {
            Segments.put(service.store(), Segments.of(String.format("L%02d", i), i % 2 == 0 ? 80 : 40, i % 3 == 0 ? 70 : 10,
                    95, "2016-07-01T00:00:00Z", i == 5));
        }
    }

    @AfterAll
    static void stop() throws IOException {
        service.close();
        TestWork.deleteTree(work);
    }

    // ---------------------------------------------------------------- what an agent sees

    @Test
    void aLookupShowsTierFlagsScoresFactorsActionsSinceWhenModelAndFreshness() {
        Http.Response r = http.get("/api/customers/C100", TestTokens.AGENT);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        JsonNode c = r.json();
        assertThat(c.path("customerId").asText()).isEqualTo("C100");
        assertThat(c.path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");
        assertThat(c.path("tierSince").asText()).isEqualTo("2016-07-01T08:00:00+08:00");
        assertThat(c.path("flags").path("churnRisk").asText()).isEqualTo("HIGH");
        assertThat(c.path("flags").path("creditRating").asText()).isEqualTo("B");
        assertThat(c.path("flags").path("potentialKeyAccount").asBoolean()).isFalse();
        for (String score : List.of("value", "churn", "credit")) {
            JsonNode s = c.path("scores").path(score);
            double sum = 0;
            double previous = Double.MAX_VALUE;
            for (JsonNode f : s.path("factors")) {
                assertThat(f.path("name").asText()).isNotBlank();
                assertThat(f.path("detail").asText()).endsWith(".");
                assertThat(f.has("value")).isTrue();
                assertThat(Math.abs(f.path("contribution").asDouble())).as("sorted by weight").isLessThanOrEqualTo(previous);
                previous = Math.abs(f.path("contribution").asDouble());
                sum += f.path("contribution").asDouble();
            }
            assertThat(sum).as(score + " factors add up to the score").isCloseTo(s.path("score").asDouble(), within(0.011));
        }
        assertThat(c.path("scores").path("value").path("score").asDouble()).isCloseTo(82.5, within(0.02));
        assertThat(c.path("recommendedActions")).extracting(JsonNode::asText)
                .anyMatch(a -> a.startsWith("Key account:")).anyMatch(a -> a.startsWith("Churn risk:"));
        assertThat(c.path("modelVersion").asText()).isEqualTo(SyntheticSegments.MODEL_VERSION);
        assertThat(c.path("freshness").path("asOf").asText()).isEqualTo("2016-07-01T08:00:00+08:00");
        // received after filledFrom, answered before now: the age lies between, however slow the machine
        long atMost = (System.currentTimeMillis() - filledFrom) / 1000;
        assertThat(c.path("freshness").path("receivedSecondsAgo").asLong()).isBetween(0L, atMost);
        assertThat(c.path("freshness").has("receivedAt")).isTrue();
        assertThat(c.path("view").path("stale").asBoolean()).as("an offline view is stale").isTrue();
        assertThat(c.path("usage").path("profile").asText()).isNotBlank();
    }

    @Test
    void historyIsNewestFirstWithTierChangesAndAlerts() {
        JsonNode h = http.get("/api/customers/C100/history", TestTokens.AGENT).json();
        List<String> kinds = new ArrayList<>();
        List<String> times = new ArrayList<>();
        h.path("items").forEach(i -> {
            kinds.add(i.path("kind").asText() + (i.has("type") ? ":" + i.path("type").asText() : ""));
            times.add(i.path("time").asText());
        });
        assertThat(kinds).containsExactly(
                "ALERT:CHURN_RISK_RAISED", "ALERT:CREDIT_DOWNGRADED", "ALERT:KEY_ACCOUNT_ENTERED", "SEGMENT_CHANGE",
                "ALERT:CHURN_RISK_RAISED", "SEGMENT_CHANGE", "FIRST_SEEN");
        assertThat(times).isSortedAccordingTo((a, b) -> b.compareTo(a));
        JsonNode change = h.path("items").get(3).path("changes");
        assertThat(change.toString()).contains("\"dimension\":\"valueTier\",\"previous\":\"HIGH_VALUE\",\"current\":\"KEY_ACCOUNT\"");
        assertThat(h.path("items").get(2).path("recommendedAction").asText()).startsWith("Key account:");
        assertThat(h.path("nextCursor").isNull()).isTrue();
    }

    @Test
    void historyPagesWithLimitAndCursor() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String path = "/api/customers/C100/history?limit=3" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonNode page = http.get(path, TestTokens.AGENT).json();
            assertThat(page.path("items").size()).isLessThanOrEqualTo(3);
            page.path("items").forEach(i -> seen.add(i.path("time").asText() + i.path("kind").asText() + i.path("type").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates();
    }

    @Test
    void atAnswersWithTheSegmentInForceAtThatTime() {
        JsonNode march = http.get("/api/customers/C100?at=2016-03-15T00:00:00%2B08:00", TestTokens.AGENT).json();
        assertThat(march.path("valueTier").asText()).isEqualTo("HIGH_VALUE");
        assertThat(march.path("flags").path("churnRisk").asText()).isEqualTo("LOW");
        assertThat(march.path("freshness").path("asOf").asText()).isEqualTo("2016-01-01T08:00:00+08:00");
        assertThat(march.path("at").asText()).isEqualTo("2016-03-15T00:00:00+08:00");

        // '+' may be sent unencoded, and Z works too
        assertThat(http.get("/api/customers/C100?at=2016-04-01T08:00:00+08:00", TestTokens.AGENT).json()
                .path("flags").path("churnRisk").asText()).isEqualTo("ELEVATED");
        assertThat(http.get("/api/customers/C100?at=2030-01-01T00:00:00Z", TestTokens.AGENT).json()
                .path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");

        Http.Response before = http.get("/api/customers/C100?at=2015-06-01T00:00:00Z", TestTokens.AGENT);
        assertThat(before.status()).isEqualTo(404);
        assertThat(before.json().path("error").asText()).isEqualTo("no_segment_at_time");
        assertThat(before.json().path("message").asText()).contains("earliest one held is as of 2016-01-01T08:00:00+08:00");
    }

    @Test
    void atAtEitherEndOfItsRangeAnswersAndIsNeverA500() {
        assertThat(http.get("/api/customers/C100?at=9999-12-31T23:59:59.999Z", TestTokens.AGENT).json()
                .path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");
        Http.Response first = http.get("/api/customers/C100?at=0001-01-01T00:00:00Z", TestTokens.AGENT);
        assertThat(first.status()).isEqualTo(404);
        assertThat(first.json().path("error").asText()).isEqualTo("no_segment_at_time");
        double badBefore = service.metrics().lookupCount("at", "bad_request");
        Http.Response far = http.get("/api/customers/C100?at=+999999999-12-31T23:59:59Z", TestTokens.AGENT);
        assertThat(far.status()).isEqualTo(400);
        assertNoStackTrace(far);
        assertThat(service.metrics().lookupCount("at", "bad_request")).isEqualTo(badBefore + 1);
    }

    @Test
    void supervisorsListSegmentsByFilterWithPaging() {
        JsonNode keyAtHighChurn = http.get("/api/segments?valueTier=KEY_ACCOUNT&churnRisk=HIGH", TestTokens.SUPERVISOR).json();
        assertThat(keyAtHighChurn.path("items")).extracting(i -> i.path("customerId").asText())
                .containsExactly("C100", "L00", "L06");
        assertThat(keyAtHighChurn.path("filter").path("valueTier").asText()).isEqualTo("KEY_ACCOUNT");

        JsonNode potential = http.get("/api/segments?potentialKeyAccount=true", TestTokens.SUPERVISOR).json();
        assertThat(potential.path("items")).extracting(i -> i.path("customerId").asText()).containsExactly("L05");

        JsonNode several = http.get("/api/segments?churnRisk=high,elevated&limit=500", TestTokens.SERVICE).json();
        assertThat(several.path("items").size()).isEqualTo(5);

        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = http.get("/api/segments?limit=5" + (cursor == null ? "" : "&cursor=" + cursor),
                    TestTokens.SUPERVISOR).json();
            page.path("items").forEach(i -> all.add(i.path("customerId").asText()));
            cursor = page.path("nextCursor").isNull() ? null : page.path("nextCursor").asText();
        } while (cursor != null);
        assertThat(all).hasSize(13).isSorted().doesNotHaveDuplicates();
    }

    // ---------------------------------------------------------------- access control

    @ParameterizedTest(name = "{0} GET {1} -> {2}")
    @CsvSource({
            "anonymous, /api/customers/C100, 401",
            "anonymous, /api/customers/C100/history, 401",
            "anonymous, /api/segments, 401",
            "anonymous, /metrics, 401",
            "anonymous, /api/openapi.json, 401",
            "anonymous, /api/me, 401",
            "anonymous, /health, 200",
            "anonymous, /ready, 503",
            "anonymous, /, 200",
            "anonymous, /app.js, 200",
            "agent, /api/customers/C100, 200",
            "agent, /api/customers/C100/history, 200",
            "agent, /api/segments, 403",
            "agent, /metrics, 403",
            "agent, /api/openapi.json, 200",
            "agent, /api/me, 200",
            "supervisor, /api/customers/C100, 200",
            "supervisor, /api/customers/C100/history, 200",
            "supervisor, /api/segments, 200",
            "supervisor, /metrics, 403",
            "supervisor, /api/openapi.json, 200",
            "service, /api/customers/C100, 200",
            "service, /api/customers/C100/history, 200",
            "service, /api/segments, 200",
            "service, /metrics, 200",
            "service, /api/openapi.json, 200",
    })
    void eachRoleReadsWhatItMayAndNoMore(String role, String path, int expected) {
        String token = switch (role) {
            case "agent" -> TestTokens.AGENT;
            case "supervisor" -> TestTokens.SUPERVISOR;
            case "service" -> TestTokens.SERVICE;
            default -> null;
        };
        Http.Response r = http.get(path, token);
        assertThat(r.status()).as(r.body()).isEqualTo(expected);
        if (expected == 401) {
            assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
            assertThat(r.json().path("error").asText()).isEqualTo("unauthorized");
        }
        if (expected == 403) {
            assertThat(r.json().path("message").asText()).contains("'" + role + "'");
        }
    }

    @Test
    void meSaysWhoTheTokenBelongsTo() {
        JsonNode me = http.get("/api/me", TestTokens.SUPERVISOR).json();
        assertThat(me.path("name").asText()).isEqualTo("sam");
        assertThat(me.path("role").asText()).isEqualTo("supervisor");
        assertThat(me.toString()).doesNotContain(TestTokens.SUPERVISOR);
    }

    @Test
    void wrongOrMalformedTokensAreRefusedAndEveryDenialIsCounted() {
        String wrongSecret = TestTokens.AGENT.substring(0, TestTokens.AGENT.length() - 4) + "AAAA";
        String unknownId = "gt_zzzz9999_" + TestTokens.AGENT.substring("gt_agent01_".length()); // the secret may hold a "_"
        for (String auth : List.of("Bearer " + wrongSecret, "Bearer " + unknownId, "Bearer not-a-token",
                "Basic YWxpY2U6c2VjcmV0", "Bearer ")) {
            Http.Response r = http.send("GET", "/api/customers/C100", auth);
            assertThat(r.status()).as(auth).isEqualTo(401);
            assertThat(r.header("WWW-Authenticate")).as(auth).isNotNull();
        }
        double invalidBefore = service.metrics().deniedCount("invalid_token", "/api/customers/{id}");
        double forbiddenBefore = service.metrics().deniedCount("forbidden", "/api/segments");
        double missingBefore = service.metrics().deniedCount("missing_token", "/api/segments");
        http.get("/api/customers/C100", wrongSecret);
        http.get("/api/segments", TestTokens.AGENT);
        http.get("/api/segments", null);
        assertThat(service.metrics().deniedCount("invalid_token", "/api/customers/{id}")).isEqualTo(invalidBefore + 1);
        assertThat(service.metrics().deniedCount("forbidden", "/api/segments")).isEqualTo(forbiddenBefore + 1);
        assertThat(service.metrics().deniedCount("missing_token", "/api/segments")).isEqualTo(missingBefore + 1);

        String metrics = http.get("/metrics", TestTokens.SERVICE).body();
        assertThat(metrics).contains("tier_service_auth_denied_total{reason=\"forbidden\",route=\"/api/segments\"}");
    }

    @Test
    void metricsShowLatencyLookupsLagAndStoreSize() {
        http.get("/api/customers/C100", TestTokens.AGENT);
        http.get("/api/customers/NOPE", TestTokens.AGENT);
        String m = http.get("/metrics", TestTokens.SERVICE).body();
        assertThat(m).contains("tier_service_http_request_duration_seconds_bucket{route=\"/api/customers/{id}\",status=\"200\",le=\"0.01\"}")
                .contains("tier_service_customer_lookups_total{kind=\"current\",outcome=\"found\"}")
                .contains("tier_service_customer_lookups_total{kind=\"current\",outcome=\"not_found\"}")
                .contains("tier_service_store_customers 13")
                .contains("tier_service_store_size_bytes")
                .contains("tier_service_view_ready 0")
                .contains("jvm_memory_used_bytes");
    }

    // ---------------------------------------------------------------- errors

    @Test
    void anUnknownCustomerIsA404WithAClearBody() {
        Http.Response r = http.get("/api/customers/C999", TestTokens.AGENT);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().path("error").asText()).isEqualTo("customer_not_found");
        assertThat(r.json().path("message").asText()).contains("'C999'");
        assertThat(http.get("/api/customers/C999/history", TestTokens.AGENT).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0} -> 400 mentioning {1}")
    @CsvSource(delimiter = '|', value = {
            "/api/customers/bad%20id | malformed customer id",
            "/api/customers/-leading-dash | malformed customer id",
            "/api/customers/%C3%28 | UTF-8",
            "/api/customers/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA | malformed customer id",
            "/api/customers/ | needs a customer id",
            "/api/customers | needs a customer id",
            "/api/customers/C100?at=yesterday | ISO-8601",
            "/api/customers/C100?at=2016-01-01 | ISO-8601",
            "/api/customers/C100?at=+999999999-12-31T23:59:59Z | outside the times this view answers for",
            "/api/customers/C100?at=-999999999-01-01T00:00:00Z | outside the times this view answers for",
            "/api/customers/C100?at=+1000000000-12-31T23:59:59Z | outside the times this view answers for",
            "/api/customers/C100?at=+10000-01-01T08:00:00%2B08:00 | from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999Z",
            "/api/customers/C100?at=99999999999999999 | ISO-8601",
            "/api/customers/C100?verbose=1 | unknown parameter 'verbose'",
            "/api/customers/C100?at=2016-01-01T00:00:00Z&at=2016-01-01T00:00:00Z | more than once",
            "/api/customers/C100?at= | is empty",
            "/api/customers/C100/history?limit=0 | limit",
            "/api/customers/C100/history?limit=201 | from 1 to 200",
            "/api/customers/C100/history?limit=ten | limit",
            "/api/customers/C100/history?cursor=@@@ | base64url",
            "/api/customers/C100/history?cursor=czEyMw | not one this endpoint issued",
            "/api/segments?valueTier=GOLD | KEY_ACCOUNT, HIGH_VALUE, STANDARD, LOW_VALUE",
            "/api/segments?churnRisk=HIGH,SOMEWHAT | not one of LOW, ELEVATED, HIGH",
            "/api/segments?potentialKeyAccount=maybe | true or false",
            "/api/segments?creditRating=D | A, B, C",
            "/api/segments?limit=501 | from 1 to 500",
            "/api/segments?cursor=aDEyMzQ1Njc4OQ | not one this endpoint issued",
            "/api/segments?tier=KEY_ACCOUNT | unknown parameter 'tier'",
    })
    void malformedIdsAndParametersAre400sThatSayWhatIsWrong(String path, String expected) {
        Http.Response r = http.rawGet(path, TestTokens.SERVICE);
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(r.json().path("message").asText()).contains(expected);
        assertNoStackTrace(r);
    }

    @Test
    void aPathThatIsNotAUriIsRefusedByTheHttpServerWithA400AndNoTrace() {
        // Jetty rejects it before any handler runs; JsonErrorHandler answers in the API's error shape
        Http.Response r = http.rawGet("/api/customers/%ZZ", TestTokens.SERVICE);
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(r.body()).doesNotContain("\tat ").doesNotContain("io.gridtier");
    }

    @Test
    void otherMethodsAndUnknownPathsAreRefusedCleanly() {
        Http.Response post = http.send("POST", "/api/customers/C100", "Bearer " + TestTokens.AGENT);
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET");
        assertThat(http.send("DELETE", "/api/segments", null).status()).isEqualTo(405);
        Http.Response unknown = http.get("/api/customer/C100", TestTokens.SERVICE);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("not_found");
        assertThat(http.get("/api/customers/C100/factors", TestTokens.SERVICE).status()).isEqualTo(404);
        double refusedBefore = service.metrics().refusedCount(400);
        Http.Response above = http.rawGet("/../etc/passwd", null); // refused by Jetty, in the API's error shape
        assertThat(above.status()).isEqualTo(400);
        assertThat(above.json().path("error").asText()).isEqualTo("bad_request");
        assertThat(service.metrics().refusedCount(400)).as("tier_service_http_refused_total{status=400}")
                .isEqualTo(refusedBefore + 1);
        assertNoStackTrace(above);
        assertThat(http.send("HEAD", "/health", null).status()).isEqualTo(200);
        assertNoStackTrace(post);
        assertNoStackTrace(unknown);
    }

    @Test
    void healthAndReadyNeedNoTokenAndReadySaysWhyNot() {
        assertThat(http.get("/health", null).json().path("status").asText()).isEqualTo("UP");
        Http.Response ready = http.get("/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().path("ready").asBoolean()).isFalse();
        assertThat(ready.json().path("phase").asText()).isEqualTo("STARTING");
        assertThat(ready.json().path("customers").asLong()).isEqualTo(13);
    }

    @Test
    void thePageAndTheOpenApiDescriptionAreServed() {
        Http.Response page = http.get("/", null);
        assertThat(page.header("Content-Type")).startsWith("text/html");
        assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
        assertThat(page.body()).contains("<script src=\"app.js\"></script>").doesNotContain("http://", "https://");
        for (String asset : List.of("/app.js", "/app.css", "/i18n.js")) {
            assertThat(http.get(asset, null).body()).as(asset).doesNotContain("http://", "https://");
        }
        JsonNode api = http.get("/api/openapi.json", TestTokens.AGENT).json();
        assertThat(api.path("openapi").asText()).startsWith("3.");
        assertThat(api.path("paths").has("/api/customers/{id}")).isTrue();
        assertThat(api.path("paths").has("/api/customers/{id}/history")).isTrue();
        assertThat(api.path("paths").has("/api/segments")).isTrue();
    }

    @Test
    void theAccessLogNamesCustomersOnlyByPseudonym() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        Configuration config = ctx.getConfiguration();
        StringWriter out = new StringWriter();
        WriterAppender appender = WriterAppender.newBuilder().setName("capture").setTarget(out)
                .setLayout(PatternLayout.newBuilder().withPattern("%msg%n").build()).build();
        appender.start();
        LoggerConfig access = config.getLoggerConfig("io.gridtier.tierservice.access");
        access.addAppender(appender, null, null);
        try {
            http.get("/api/customers/C100", TestTokens.AGENT);
            http.get("/api/customers/C100/history?limit=2", TestTokens.AGENT);
            http.get("/api/customers/SECRET42", TestTokens.AGENT);
            // the line is written just after the answer is sent
            // a line of an earlier test's request may still come in (it is written after the answer): not counted
            await("three access lines").atMost(Duration.ofSeconds(5)).ignoreExceptions()
                    .until(() -> out.toString().lines().filter(l -> l.contains(" /api/customers/")).count() >= 3);
        } finally {
            access.removeAppender("capture");
            appender.stop();
        }
        String log = out.toString();
        assertThat(log).doesNotContain("C100").doesNotContain("SECRET42").doesNotContain(TestTokens.AGENT)
                .contains("/api/customers/{id:").contains("/history").contains("agent:alice").contains(" 404 ")
                .contains("params=limit");
        // lines are written as each answer goes out, so their order may differ from the requests'
        String lookup = log.lines().filter(l -> l.contains(" /api/customers/") && !l.contains("/history") && !l.contains(" 404 "))
                .findFirst().orElseThrow();
        String history = log.lines().filter(l -> l.contains("/history")).findFirst().orElseThrow();
        String unknown = log.lines().filter(l -> l.contains(" 404 ")).findFirst().orElseThrow();
        String pseudonym = lookup.replaceAll(".*\\{id:([0-9a-f]{16})}.*", "$1");
        assertThat(history).as("same customer, same pseudonym").contains(pseudonym);
        assertThat(unknown).as("another customer, another pseudonym").doesNotContain(pseudonym);
    }

    private static void assertNoStackTrace(Http.Response r) {
        assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("io.gridtier");
    }
}
