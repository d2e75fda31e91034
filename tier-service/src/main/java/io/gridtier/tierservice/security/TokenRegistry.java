package io.gridtier.tierservice.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API tokens the service accepts, held only as hashes. A token is {@code gt_<tokenId>_<secret>}: the id
 * (not secret) finds the one line to check, so checking costs one hash whatever the number of tokens, and the
 * secret is compared through its hash in constant time ({@link java.security.MessageDigest#isEqual}).
 *
 * <p>Configuration lines: {@code tokenId role name hash}, '#' starts a comment. {@code hash-token} prints them.
 */
public final class TokenRegistry {
    public static final Pattern TOKEN = Pattern.compile("gt_([a-z0-9]{4,32})_([A-Za-z0-9_-]{16,128})");
    private static final Pattern TOKEN_ID = Pattern.compile("[a-z0-9]{4,32}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final int MAX_REMEMBERED = 10_000;
    /** Hashed for unknown ids too, so that an unknown id takes as long as a wrong secret. */
    private static final TokenHash DECOY = TokenHash.sha256("gt_decoy_" + "x".repeat(43));

    private record Entry(Principal principal, TokenHash hash) {
    }

    private final Map<String, Entry> byId;
    /** Verified slow (PBKDF2) tokens, keyed by an HMAC of the token under a key that lives only in memory. */
    private final Map<String, Principal> remembered = new ConcurrentHashMap<>();
    private final byte[] rememberKey = new byte[32];
    /** How many times a presented token went through its slow hash: what remembering saves. */
    private final LongAdder slowHashChecks = new LongAdder();

    private TokenRegistry(Map<String, Entry> byId) {
        this.byId = Map.copyOf(byId);
        TokenHash.RANDOM.nextBytes(rememberKey);
    }

    /** Reads the lines of a tokens file and/or an inline list (lines or ';'-separated); at least one token. */
    public static TokenRegistry load(Optional<Path> file, Optional<String> inline) {
        Map<String, Entry> byId = new HashMap<>();
        if (file.isPresent()) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the tokens file " + file.get() + ": " + e.getMessage(), e);
            }
            parse(lines, file.get().toString(), byId);
        }
        inline.ifPresent(s -> parse(List.of(s.split("[;\\n]")), "the inline tokens", byId));
        if (byId.isEmpty()) {
            throw new IllegalArgumentException("no API token configured: create one with 'hash-token --role agent --name NAME' "
                    + "and pass the line it prints with --tokens FILE or GRIDTIER_TIER_TOKENS_INLINE");
        }
        return new TokenRegistry(byId);
    }

    public static TokenRegistry of(List<String> lines) {
        Map<String, Entry> byId = new HashMap<>();
        parse(lines, "the token lines", byId);
        return new TokenRegistry(byId);
    }

    private static void parse(List<String> lines, String source, Map<String, Entry> into) {
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            int hash = line.indexOf('#');
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty()) {
                continue;
            }
            String where = source + ", line " + (i + 1);
            String[] f = line.split("\\s+");
            if (f.length != 4) {
                throw new IllegalArgumentException(where + ": expected 'tokenId role name hash', found " + f.length + " fields");
            }
            if (!TOKEN_ID.matcher(f[0]).matches()) {
                throw new IllegalArgumentException(where + ": token id must be 4-32 lower-case letters or digits");
            }
            if (!NAME.matcher(f[2]).matches()) {
                throw new IllegalArgumentException(where + ": name must be 1-64 letters, digits, '.', '_', '@' or '-'");
            }
            Role role;
            TokenHash th;
            try {
                role = Role.parse(f[1]);
                th = TokenHash.parse(f[3]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (into.put(f[0], new Entry(new Principal(f[0], f[2], role), th)) != null) {
                throw new IllegalArgumentException(where + ": token id " + f[0] + " appears twice");
            }
        }
    }

    /** The principal a presented token stands for, or empty when it is not a valid token. */
    public Optional<Principal> authenticate(String token) {
        if (token == null) {
            return Optional.empty();
        }
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Optional.empty();
        }
        Entry entry = byId.get(m.group(1));
        if (entry == null) {
            DECOY.matches(token);
            return Optional.empty();
        }
        if (!entry.hash.slow()) {
            return entry.hash.matches(token) ? Optional.of(entry.principal) : Optional.empty();
        }
        String key = rememberKey(token);
        Principal known = remembered.get(key);
        if (known != null) {
            return Optional.of(known);
        }
        slowHashChecks.increment();
        if (!entry.hash.matches(token)) {
            return Optional.empty();
        }
        if (remembered.size() >= MAX_REMEMBERED) {
            remembered.clear();
        }
        remembered.put(key, entry.principal);
        return Optional.of(entry.principal);
    }

    public int size() {
        return byId.size();
    }

    /** The number of checks that computed a slow (PBKDF2) hash; a remembered token costs none. */
    public long slowHashChecks() {
        return slowHashChecks.sum();
    }

    private String rememberKey(String token) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(rememberKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(token.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A new random token for {@code tokenId}: 256 bits of secret. */
    public static String newToken(String tokenId) {
        byte[] secret = new byte[32];
        TokenHash.RANDOM.nextBytes(secret);
        return "gt_" + tokenId + "_" + TokenHash.B64.encodeToString(secret);
    }

    /** A new random token id: 8 lower-case hex digits. */
    public static String newTokenId() {
        byte[] b = new byte[4];
        TokenHash.RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The configuration line for a token. */
    public static String line(String token, Role role, String name, boolean pbkdf2) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a token of the form gt_<id>_<secret>");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        TokenHash h = pbkdf2 ? TokenHash.pbkdf2(token, 210_000) : TokenHash.sha256(token);
        return m.group(1) + " " + role.label() + " " + name + " " + h.spec();
    }

    /** All ids, for diagnostics. */
    public List<String> ids() {
        return new ArrayList<>(byId.keySet());
    }
}
