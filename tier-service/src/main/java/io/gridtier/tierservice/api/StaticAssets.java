package io.gridtier.tierservice.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The agents' page (plain HTML, CSS and JavaScript from {@code /web} on the classpath, no build step) and the
 * OpenAPI description, read once at start and served from memory with an ETag.
 */
final class StaticAssets {
    record Asset(byte[] body, String contentType, String etag) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml",
            "json", "application/json; charset=utf-8");

    private final Map<String, Asset> assets = new HashMap<>();

    StaticAssets() {
        for (String name : new String[] {"index.html", "app.css", "app.js", "i18n.js", "favicon.svg"}) {
            assets.put("/" + name, load("/web/" + name, name));
        }
        assets.put("/", assets.get("/index.html"));
        assets.put("/api/openapi.json", load("/openapi.json", "openapi.json"));
    }

    Asset get(String path) {
        return assets.get(path);
    }

    boolean isPage(String path) {
        return assets.containsKey(path) && !path.startsWith("/api/");
    }

    private static Asset load(String resource, String name) {
        try (InputStream in = StaticAssets.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            byte[] body = in.readAllBytes();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            String ext = name.substring(name.lastIndexOf('.') + 1);
            return new Asset(body, TYPES.get(ext), "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
