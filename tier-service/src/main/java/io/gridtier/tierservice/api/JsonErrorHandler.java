package io.gridtier.tierservice.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridtier.tierservice.metrics.ServiceMetrics;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * The answer to a request Jetty refuses before the API sees it (a path that is not a URI or climbs above the
 * root, headers too large, a request that timed out): the API's own JSON error shape, no HTML page, no trace;
 * counted in {@code tier_service_http_refused_total{status}}, since no route's timer saw it.
 */
final class JsonErrorHandler extends ErrorHandler {
    private final ServiceMetrics metrics;

    JsonErrorHandler(ServiceMetrics metrics) {
        this.metrics = metrics;
        setShowStacks(false);
        setShowCauses(false);
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        metrics.refused(code);
        ObjectNode o = JsonViews.JSON.createObjectNode();
        o.put("status", code);
        o.put("error", HttpStatus.getMessage(code).toLowerCase(Locale.ROOT).replaceAll("[^a-z]+", "_"));
        o.put("message", "the HTTP server refused the request before the API read it"
                + (message == null || message.isBlank() ? "" : ": " + message));
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.write(true, ByteBuffer.wrap(JsonViews.JSON.writeValueAsBytes(o)), callback);
    }
}
