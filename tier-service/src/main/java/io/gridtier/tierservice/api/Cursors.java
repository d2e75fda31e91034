package io.gridtier.tierservice.api;

import io.gridtier.wire.CustomerIds;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Opaque paging cursors: base64url of a one-letter kind and the position. Clients pass them back unchanged; a
 * cursor of the wrong kind or shape is a 400.
 */
final class Cursors {
    private static final Base64.Encoder ENC = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DEC = Base64.getUrlDecoder();

    private Cursors() {
    }

    static String history(byte[] position) {
        return position == null ? null : encode('h', position);
    }

    static String segments(byte[] lastId) {
        return lastId == null ? null : encode('s', lastId);
    }

    static byte[] parseHistory(String cursor) {
        byte[] raw = decode(cursor, 'h');
        if (raw.length < 9) {
            throw ApiException.badRequest("cursor is not one this endpoint issued");
        }
        return raw;
    }

    static String parseSegments(String cursor) {
        String id = new String(decode(cursor, 's'), StandardCharsets.UTF_8);
        if (!CustomerIds.isValid(id)) {
            throw ApiException.badRequest("cursor is not one this endpoint issued");
        }
        return id;
    }

    private static String encode(char kind, byte[] position) {
        byte[] raw = new byte[position.length + 1];
        raw[0] = (byte) kind;
        System.arraycopy(position, 0, raw, 1, position.length);
        return ENC.encodeToString(raw);
    }

    private static byte[] decode(String cursor, char kind) {
        byte[] raw;
        try {
            raw = DEC.decode(cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("cursor is not valid base64url; pass back the nextCursor of the previous page");
        }
        if (raw.length < 2 || raw[0] != (byte) kind || cursor.length() > 200) {
            throw ApiException.badRequest("cursor is not one this endpoint issued");
        }
        return Arrays.copyOfRange(raw, 1, raw.length);
    }
}
