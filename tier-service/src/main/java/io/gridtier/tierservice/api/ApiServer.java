package io.gridtier.tierservice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import io.gridtier.schema.ChurnRisk;
import io.gridtier.schema.CreditRating;
import io.gridtier.schema.ValueTier;
import io.gridtier.tierservice.ingest.ViewStatus;
import io.gridtier.tierservice.metrics.ServiceMetrics;
import io.gridtier.tierservice.security.FailedAuthLimiter;
import io.gridtier.tierservice.security.IdHasher;
import io.gridtier.tierservice.security.Principal;
import io.gridtier.tierservice.security.Role;
import io.gridtier.tierservice.security.TokenRegistry;
import io.gridtier.tierservice.store.HistoryEntry;
import io.gridtier.tierservice.store.Page;
import io.gridtier.tierservice.store.SegmentFilter;
import io.gridtier.tierservice.store.SegmentStore;
import io.gridtier.tierservice.store.StoredSegment;
import io.gridtier.wire.CustomerIds;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import org.eclipse.jetty.http.spi.JettyHttpServer;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP side: the JSON API, the agents' page, health, readiness and metrics, on Jetty with the limits of
 * {@link HttpLimits}: a bounded pool of request threads, an idle timeout and a connection cap.
 *
 * <p>Every request is routed, then checked (method, token, role), then its parameters are validated, and only
 * then answered. Every error is JSON with a code and a sentence, never a stack trace. Every denial is counted.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger ACCESS = LoggerFactory.getLogger("io.gridtier.tierservice.access");
    private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";
    private static final int DEFAULT_HISTORY_LIMIT = 20;
    private static final int MAX_HISTORY_LIMIT = 200;
    private static final int DEFAULT_LIST_LIMIT = 50;
    private static final int MAX_LIST_LIMIT = 500;
    /** The range of {@code at=}: four-digit years, as ISO-8601 writes them without a sign. */
    private static final Instant EARLIEST_AT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant LATEST_AT = Instant.parse("9999-12-31T23:59:59.999Z");

    /** What a path is, and who may read it (null: anyone). */
    private enum Route {
        HEALTH("/health", null), READY("/ready", null), PAGE("/page", null),
        METRICS("/metrics", Role.SERVICE), OPENAPI("/api/openapi.json", Role.AGENT), ME("/api/me", Role.AGENT),
        CUSTOMER("/api/customers/{id}", Role.AGENT), HISTORY("/api/customers/{id}/history", Role.AGENT),
        SEGMENTS("/api/segments", Role.SUPERVISOR), UNKNOWN("unknown", null);

        final String label;
        final Role required;

        Route(String label, Role required) {
            this.label = label;
            this.required = required;
        }
    }

    private record Match(Route route, String rawId) {
    }

    private record Reply(int status, byte[] body, String contentType, Map<String, String> headers) {
    }

    private final SegmentStore store;
    private final ViewStatus status;
    private final ServiceMetrics metrics;
    private final TokenRegistry tokens;
    private final FailedAuthLimiter failedAuth;
    private final IdHasher idHasher;
    private final JsonViews views;
    private final boolean accessLog;
    private final StaticAssets assets = new StaticAssets();
    private final MetricsHandler metricsHandler;
    private final Server server;
    private final ServerConnector connector;

    /**
     * Jetty, through its implementation of the JDK's HttpServer API (jetty-http-spi), so that the handlers below
     * stay on {@link HttpExchange}. The JDK's own server reads a request's headers on a request thread and has no
     * connection cap: in SlowClientsTest, clients whose headers never end held every request thread, then its
     * dispatcher, and new connections timed out. Jetty reads headers without a thread, closes silent connections
     * and caps them.
     */
    public ApiServer(String bind, int port, HttpLimits limits, SegmentStore store, ViewStatus status, ServiceMetrics metrics,
                     TokenRegistry tokens, FailedAuthLimiter failedAuth, IdHasher idHasher, ZoneId zone, boolean accessLog)
            throws IOException {
        this.store = store;
        this.status = status;
        this.metrics = metrics;
        this.tokens = tokens;
        this.failedAuth = failedAuth;
        this.idHasher = idHasher;
        this.views = new JsonViews(zone);
        this.accessLog = accessLog;
        this.metricsHandler = new MetricsHandler(metrics.registry());
        // request threads, plus the acceptor and the selector, which also run on the pool. Jobs queue without a
        // bound of their own (Jetty's advice: a full queue would also refuse its selector's tasks); an HTTP/1.1
        // connection has one request in flight at most, so the connection cap bounds the queue.
        int poolSize = limits.threads() + 2;
        QueuedThreadPool pool = new QueuedThreadPool(poolSize, poolSize, 60_000);
        pool.setName("tier-http");
        pool.setDaemon(true);
        pool.setReservedThreads(0);
        this.server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(16 * 1024);
        this.connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(bind);
        connector.setPort(port);
        connector.setAcceptQueueSize(1024);
        connector.setIdleTimeout(limits.idleTimeout().toMillis());
        server.addConnector(connector);
        NetworkConnectionLimit cap = new NetworkConnectionLimit(limits.maxConnections(), connector);
        long idleAtCap = Math.min(limits.idleTimeout().toMillis(), HttpLimits.IDLE_TIMEOUT_AT_CAP.toMillis());
        cap.setEndPointIdleTimeout(idleAtCap);
        server.addBean(cap);
        // Jetty shortens the timeout of the connections open when the cap is reached, not of those accepted in the
        // same burst that open just after: these get it here
        connector.addBean(new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
                if (cap.getNetworkConnectionCount() + cap.getPendingNetworkConnectionCount() >= limits.maxConnections()) {
                    connection.getEndPoint().setIdleTimeout(idleAtCap);
                }
            }
        });
        server.setHandler(new ContextHandlerCollection());
        server.setErrorHandler(new JsonErrorHandler(metrics));
        server.setStopTimeout(1_000);
        new JettyHttpServer(server, true).createContext("/", this::handle);
        connector.open(); // binds now, so that a taken port is an error of the constructor
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("the HTTP server did not start: " + e.getMessage(), e);
        }
        LOG.info("HTTP on http://{}:{}/ (agents' page at /, API under /api, health /health, ready /ready)",
                connector.getHost(), port());
    }

    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("the HTTP server did not stop cleanly (open connections are closed regardless): {}", e.toString());
        }
    }

    // ---------------------------------------------------------------- the request cycle

    private void handle(HttpExchange ex) {
        long started = System.nanoTime();
        String path = ex.getRequestURI().getRawPath();
        Match match = route(path);
        Principal principal = null;
        int statusCode = 500;
        long bytes = 0;
        try {
            Reply reply;
            try {
                checkMethod(ex, match.route);
                principal = authorise(ex, match.route);
                if (match.route == Route.METRICS) {
                    metricsHandler.handle(ex);
                    statusCode = 200;
                    return;
                }
                reply = answer(ex, match, principal);
            } catch (ApiException e) {
                reply = error(e);
            } catch (RuntimeException e) {
                LOG.error("request to {} failed", match.route.label, e);
                reply = error(new ApiException(500, "internal_error",
                        "the request could not be answered; the error has been logged"));
            }
            statusCode = reply.status;
            bytes = send(ex, reply);
        } catch (IOException e) {
            LOG.debug("client went away: {}", e.getMessage());
        } finally {
            ex.close();
            double seconds = (System.nanoTime() - started) / 1e9;
            metrics.request(match.route.label, statusCode, seconds);
            if (accessLog) {
                access(ex, match, principal, statusCode, bytes, seconds);
            }
        }
    }

    private Match route(String path) {
        if (path == null) {
            return new Match(Route.UNKNOWN, null);
        }
        switch (path) {
            case "/health":
                return new Match(Route.HEALTH, null);
            case "/ready":
                return new Match(Route.READY, null);
            case "/metrics":
                return new Match(Route.METRICS, null);
            case "/api/openapi.json":
                return new Match(Route.OPENAPI, null);
            case "/api/me":
                return new Match(Route.ME, null);
            case "/api/segments":
                return new Match(Route.SEGMENTS, null);
            default:
                break;
        }
        if (path.startsWith("/api/customers/")) {
            String rest = path.substring("/api/customers/".length());
            int slash = rest.indexOf('/');
            if (slash < 0) {
                return new Match(Route.CUSTOMER, rest);
            }
            if (rest.substring(slash).equals("/history")) {
                return new Match(Route.HISTORY, rest.substring(0, slash));
            }
            return new Match(Route.UNKNOWN, null);
        }
        if (path.equals("/api/customers")) {
            return new Match(Route.CUSTOMER, "");
        }
        return assets.isPage(path) ? new Match(Route.PAGE, path) : new Match(Route.UNKNOWN, null);
    }

    private void checkMethod(HttpExchange ex, Route route) {
        String method = ex.getRequestMethod();
        boolean headAllowed = route == Route.PAGE || route == Route.HEALTH || route == Route.READY;
        if (method.equals("GET") || (headAllowed && method.equals("HEAD"))) {
            return;
        }
        if (route == Route.UNKNOWN) {
            return; // answered 404 below, whatever the method
        }
        ex.getResponseHeaders().set("Allow", headAllowed ? "GET, HEAD" : "GET");
        throw new ApiException(405, "method_not_allowed", method + " is not allowed here; use GET");
    }

    private Principal authorise(HttpExchange ex, Route route) {
        if (route.required == null) {
            return null;
        }
        String header = ex.getRequestHeaders().getFirst("Authorization");
        if (header == null || header.isBlank()) {
            metrics.denied("missing_token", route.label);
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"gridtier\"");
            throw new ApiException(401, "unauthorized", "this endpoint needs a token: send 'Authorization: Bearer <token>'");
        }
        String address = ex.getRemoteAddress().getAddress().getHostAddress();
        long retryAfter = failedAuth.retryAfterSeconds(address);
        if (retryAfter > 0) {
            // checked before the token, so that guessing on gets no answer at all, right or wrong
            metrics.denied("too_many_failures", route.label);
            ex.getResponseHeaders().set("Retry-After", Long.toString(retryAfter));
            throw new ApiException(429, "too_many_failed_authentications", "too many failed authentications from this "
                    + "address; try again in " + retryAfter + " s");
        }
        TokenRegistry.Check check = TokenRegistry.Check.INVALID_TOKEN;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            check = tokens.check(header.substring(7).trim());
        }
        Optional<Principal> principal = check.principal();
        if (principal.isEmpty()) {
            failedAuth.failed(address);
            ex.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"gridtier\", error=\"invalid_token\"");
            if (check.outcome() == TokenRegistry.Outcome.EXPIRED) {
                metrics.denied("expired_token", route.label);
                throw new ApiException(401, "unauthorized", "the token has expired; ask for a new one");
            }
            metrics.denied("invalid_token", route.label);
            throw new ApiException(401, "unauthorized", "the token is not valid (unknown, revoked or mistyped)");
        }
        if (!principal.get().role().includes(route.required)) {
            metrics.denied("forbidden", route.label);
            throw new ApiException(403, "forbidden", "the role '" + principal.get().role().label()
                    + "' may not read " + route.label + "; it needs '" + route.required.label() + "' or above");
        }
        return principal.get();
    }

    private Reply answer(HttpExchange ex, Match match, Principal principal) {
        Map<String, String> query;
        switch (match.route) {
            case HEALTH:
                params(ex, Set.of());
                return health();
            case READY:
                params(ex, Set.of());
                return ready();
            case ME: {
                params(ex, Set.of());
                ObjectNode o = JsonViews.JSON.createObjectNode();
                o.put("tokenId", principal.tokenId());
                o.put("name", principal.name());
                o.put("role", principal.role().label());
                return json(200, o);
            }
            case OPENAPI:
                params(ex, Set.of());
                return asset(ex, "/api/openapi.json");
            case CUSTOMER:
                query = params(ex, Set.of("at"));
                return customer(match.rawId, query.get("at"));
            case HISTORY:
                query = params(ex, Set.of("limit", "cursor"));
                return history(match.rawId, query);
            case SEGMENTS:
                query = params(ex, Set.of("valueTier", "churnRisk", "potentialKeyAccount", "creditRating", "limit", "cursor"));
                return segments(query);
            case PAGE: // the page reads its own parameters (?id= to open a customer, ?lang=)
                return asset(ex, match.rawId);
            default:
                throw new ApiException(404, "not_found", "no such endpoint; the API is described at /api/openapi.json");
        }
    }

    // ---------------------------------------------------------------- endpoints

    private Reply health() {
        ObjectNode o = JsonViews.JSON.createObjectNode();
        if (status.failed()) {
            o.put("status", "DOWN");
            o.put("reason", "the view can no longer be updated: " + status.failure());
            return json(503, o);
        }
        o.put("status", "UP");
        return json(200, o);
    }

    private Reply ready() {
        long now = System.currentTimeMillis();
        ObjectNode o = views.view(status, now);
        o.put("customers", store.customerCount());
        if (status.ready()) {
            ObjectNode c = o.putObject("catchUp");
            c.put("records", status.catchUpRecords());
            c.put("millis", status.catchUpMillis());
            c.put("recordsPerSecond", status.catchUpMillis() == 0 ? 0
                    : Math.round(status.catchUpRecords() * 1000.0 / status.catchUpMillis()));
            c.put("ingestCpuMillis", status.catchUpIngestCpuMillis());
            c.put("processCpuMillis", status.catchUpProcessCpuMillis());
        }
        return json(status.ready() ? 200 : 503, o);
    }

    private Reply customer(String rawId, String atParam) {
        String kind = atParam == null ? "current" : "at";
        String id;
        Instant at = null;
        try {
            id = customerId(rawId);
            if (atParam != null) {
                at = parseInstant(atParam);
            }
        } catch (ApiException e) {
            metrics.lookup(kind, "bad_request");
            throw e;
        }
        long now = System.currentTimeMillis();
        Optional<StoredSegment> found = at == null ? store.get(id) : store.at(id, at);
        if (found.isEmpty()) {
            metrics.lookup(kind, "not_found");
            if (at != null && store.get(id).isPresent()) {
                String earliest = store.earliestVersion(id).map(views::time).orElse("unknown");
                throw new ApiException(404, "no_segment_at_time", "customer '" + id + "' had no segment in this view at "
                        + views.time(at) + "; the earliest one held is as of " + earliest);
            }
            throw notFound(id);
        }
        metrics.lookup(kind, "found");
        ObjectNode body = views.segment(found.get(), status, now);
        if (at != null) {
            body.put("at", views.time(at));
        }
        return json(200, body);
    }

    private Reply history(String rawId, Map<String, String> query) {
        String id;
        int limit;
        byte[] cursor;
        try {
            id = customerId(rawId);
            limit = limit(query.get("limit"), DEFAULT_HISTORY_LIMIT, MAX_HISTORY_LIMIT);
            cursor = query.get("cursor") == null ? null : Cursors.parseHistory(query.get("cursor"));
        } catch (ApiException e) {
            metrics.lookup("history", "bad_request");
            throw e;
        }
        Page<HistoryEntry> page = store.history(id, cursor, limit);
        if (page.items().isEmpty() && cursor == null && store.get(id).isEmpty()) {
            metrics.lookup("history", "not_found");
            throw notFound(id);
        }
        metrics.lookup("history", "found");
        ObjectNode o = JsonViews.JSON.createObjectNode();
        o.put("customerId", id);
        ArrayNode items = o.putArray("items");
        page.items().forEach(e -> items.add(views.history(e)));
        o.put("limit", limit);
        o.put("nextCursor", Cursors.history(page.nextCursor()));
        return json(200, o);
    }

    private Reply segments(Map<String, String> query) {
        SegmentFilter filter = new SegmentFilter(
                enumSet(query, "valueTier", ValueTier.class),
                enumSet(query, "churnRisk", ChurnRisk.class),
                booleans(query, "potentialKeyAccount"),
                enumSet(query, "creditRating", CreditRating.class));
        int limit = limit(query.get("limit"), DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT);
        String after = query.get("cursor") == null ? null : Cursors.parseSegments(query.get("cursor"));
        Page<StoredSegment> page = store.list(filter, after, limit);
        ObjectNode o = JsonViews.JSON.createObjectNode();
        ObjectNode f = o.putObject("filter");
        for (String k : List.of("valueTier", "churnRisk", "potentialKeyAccount", "creditRating")) {
            if (query.containsKey(k)) {
                f.put(k, query.get(k));
            }
        }
        ArrayNode items = o.putArray("items");
        page.items().forEach(s -> items.add(views.summary(s)));
        o.put("limit", limit);
        o.put("nextCursor", Cursors.segments(page.nextCursor()));
        o.set("view", views.view(status, System.currentTimeMillis()));
        return json(200, o);
    }

    private ApiException notFound(String id) {
        String hint = status.ready() ? "" : " (the view is still catching up with the topics; try again shortly)";
        return new ApiException(404, "customer_not_found", "no customer '" + id + "' in the view" + hint);
    }

    // ---------------------------------------------------------------- parameters

    private static String customerId(String raw) {
        if (raw == null || raw.isEmpty()) {
            throw ApiException.badRequest("the path needs a customer id: /api/customers/{id}");
        }
        String id = percentDecode(raw, "customer id");
        if (!CustomerIds.isValid(id)) {
            throw ApiException.badRequest("malformed customer id '" + abbreviate(id) + "': " + CustomerIds.RULE);
        }
        return id;
    }

    private static Instant parseInstant(String s) {
        Instant at;
        try {
            at = OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            try {
                at = Instant.parse(s);
            } catch (DateTimeParseException e2) {
                throw ApiException.badRequest("at='" + abbreviate(s) + "' is not an ISO-8601 timestamp with an offset, "
                        + "e.g. 2016-09-01T00:00:00+08:00 or 2016-08-31T16:00:00Z");
            }
        }
        // java.time parses years up to ±999,999,999, far beyond what epoch milliseconds (the store's keys) can hold
        if (at.isBefore(EARLIEST_AT) || at.isAfter(LATEST_AT)) {
            throw ApiException.badRequest("at='" + abbreviate(s) + "' is outside the times this view answers for: from "
                    + EARLIEST_AT + " to " + LATEST_AT);
        }
        return at;
    }

    private static int limit(String s, int dflt, int max) {
        if (s == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(s);
            if (n >= 1 && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // the message below
        }
        throw ApiException.badRequest("limit='" + abbreviate(s) + "' must be a whole number from 1 to " + max);
    }

    private static <E extends Enum<E>> Set<E> enumSet(Map<String, String> query, String name, Class<E> type) {
        String v = query.get(name);
        if (v == null) {
            return Set.of();
        }
        Set<E> out = EnumSet.noneOf(type);
        for (String part : v.split(",", -1)) {
            try {
                out.add(Enum.valueOf(type, part.trim().toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                List<String> allowed = new ArrayList<>();
                for (E c : type.getEnumConstants()) {
                    allowed.add(c.name());
                }
                throw ApiException.badRequest(name + "='" + abbreviate(part) + "' is not one of " + String.join(", ", allowed)
                        + " (several may be given, separated by commas)");
            }
        }
        return out;
    }

    private static Set<Boolean> booleans(Map<String, String> query, String name) {
        String v = query.get(name);
        if (v == null) {
            return Set.of();
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Set.of(true);
            case "false" -> Set.of(false);
            default -> throw ApiException.badRequest(name + "='" + abbreviate(v) + "' must be true or false");
        };
    }

    /** The query parameters, each at most once, only the allowed ones. */
    private static Map<String, String> params(HttpExchange ex, Set<String> allowed) {
        String raw = ex.getRequestURI().getRawQuery();
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = percentDecode(eq < 0 ? pair : pair.substring(0, eq), "parameter name");
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1), "parameter " + name);
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown parameter '" + abbreviate(name) + "'; this endpoint takes "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new java.util.TreeSet<>(allowed))));
            }
            if (!seen.add(name)) {
                throw ApiException.badRequest("parameter '" + name + "' is given more than once");
            }
            if (value.isEmpty()) {
                throw ApiException.badRequest("parameter '" + name + "' is empty");
            }
            out.put(name, value);
        }
        return out;
    }

    /** Strict RFC 3986 percent-decoding to UTF-8 ('+' stays '+', so "+08:00" offsets survive unencoded). */
    static String percentDecode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length() || Character.digit(s.charAt(i + 1), 16) < 0 || Character.digit(s.charAt(i + 2), 16) < 0) {
                    throw ApiException.badRequest(what + " has a malformed percent-escape");
                }
                out.write(Character.digit(s.charAt(i + 1), 16) * 16 + Character.digit(s.charAt(i + 2), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ApiException.badRequest(what + " is not valid UTF-8 once percent-decoded");
        }
    }

    private static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(80).forEach(cp -> b.appendCodePoint(Character.isISOControl(cp) ? '?' : cp));
        return s.codePointCount(0, s.length()) > 80 ? b + "..." : b.toString();
    }

    // ---------------------------------------------------------------- replies

    private Reply asset(HttpExchange ex, String path) {
        StaticAssets.Asset a = assets.get(path);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", a.etag());
        headers.put("Cache-Control", path.startsWith("/api/") ? "no-store" : "no-cache");
        String ifNoneMatch = ex.getRequestHeaders().getFirst("If-None-Match");
        if (a.etag().equals(ifNoneMatch)) {
            return new Reply(304, new byte[0], a.contentType(), headers);
        }
        return new Reply(200, a.body(), a.contentType(), headers);
    }

    private static Reply json(int status, ObjectNode body) {
        try {
            return new Reply(status, JsonViews.JSON.writeValueAsBytes(body), "application/json; charset=utf-8",
                    Map.of("Cache-Control", "no-store"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Reply error(ApiException e) {
        ObjectNode o = JsonViews.JSON.createObjectNode();
        o.put("status", e.status());
        o.put("error", e.code());
        o.put("message", e.getMessage());
        return json(e.status(), o);
    }

    private static long send(HttpExchange ex, Reply reply) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", reply.contentType);
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        h.set("Content-Security-Policy", CSP);
        reply.headers.forEach(h::set);
        boolean noBody = ex.getRequestMethod().equals("HEAD") || reply.status == 304;
        if (noBody) {
            ex.sendResponseHeaders(reply.status, -1);
            return 0;
        }
        ex.sendResponseHeaders(reply.status, reply.body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(reply.body);
        }
        return reply.body.length;
    }

    // ---------------------------------------------------------------- access log

    private void access(HttpExchange ex, Match match, Principal principal, int statusCode, long bytes, double seconds) {
        String path = switch (match.route) {
            case CUSTOMER, HISTORY -> "/api/customers/" + pseudonym(match.rawId)
                    + (match.route == Route.HISTORY ? "/history" : "");
            case UNKNOWN -> "(unknown path)";
            case PAGE -> match.rawId;
            default -> match.route.label;
        };
        String query = ex.getRequestURI().getRawQuery();
        String params = query == null ? "" : " params=" + paramNames(query);
        ACCESS.info("{} {} {} {} {}B {}ms {}{}", ex.getRemoteAddress().getAddress().getHostAddress(),
                ex.getRequestMethod(), path, statusCode, bytes, String.format(Locale.ROOT, "%.2f", seconds * 1000),
                principal == null ? "-" : principal.role().label() + ":" + principal.name(), params);
    }

    private String pseudonym(String rawId) {
        if (rawId == null || rawId.isEmpty()) {
            return "{}";
        }
        String id;
        try {
            id = percentDecode(rawId, "id");
        } catch (ApiException e) {
            id = rawId;
        }
        return "{id:" + idHasher.hash(id) + "}";
    }

    private static String paramNames(String rawQuery) {
        List<String> names = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String n = eq < 0 ? pair : pair.substring(0, eq);
            names.add(n.matches("[A-Za-z]{1,32}") ? n : "?");
        }
        return String.join(",", names);
    }
}
