package io.gridtier.tierservice.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API tokens the service accepts, held only as hashes. A token is {@code gt_<tokenId>_<secret>}: the id
 * (not secret) finds the one line to check, so checking costs one hash whatever the number of tokens, and the
 * secret is compared through its hash in constant time ({@link java.security.MessageDigest#isEqual}).
 *
 * <p>Configuration lines: {@code tokenId role name hash [expires=<ISO-8601 instant>]}, '#' starts a comment.
 * {@code hash-token} prints them. A line without {@code expires=} never expires (files written before expiry
 * existed stay valid); from its expiry on, a token is refused as expired.
 *
 * <p>The tokens file is re-read when it changes, so revoking a token (deleting its line) or adding one needs
 * no restart: at most every {@code reloadEvery}, the next authentication looks at the file's modification time
 * and size, and reads it again when either differs. A file that no longer parses (or has gone) is not
 * loaded: the tokens in force stay, and the error is logged and counted, so a typo cannot lock everyone out.
 */
public final class TokenRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TokenRegistry.class);
    public static final Pattern TOKEN = Pattern.compile("gt_([a-z0-9]{4,32})_([A-Za-z0-9_-]{16,128})");
    private static final Pattern TOKEN_ID = Pattern.compile("[a-z0-9]{4,32}");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final String EXPIRES = "expires=";
    private static final int MAX_REMEMBERED = 10_000;
    /** Hashed for unknown ids too, so that an unknown id takes as long as a wrong secret. */
    private static final TokenHash DECOY = TokenHash.sha256("gt_decoy_" + "x".repeat(43));

    private record Entry(Principal principal, TokenHash hash, Instant expiresAt) {
        boolean expired(Instant now) {
            return expiresAt != null && !now.isBefore(expiresAt);
        }
    }

    /** What presenting a token came to: its principal, or why not. */
    public enum Outcome { ACCEPTED, INVALID, EXPIRED }

    public record Check(Outcome outcome, Optional<Principal> principal) {
        public static final Check INVALID_TOKEN = new Check(Outcome.INVALID, Optional.empty());
        static final Check EXPIRED_TOKEN = new Check(Outcome.EXPIRED, Optional.empty());
    }

    /** The file as last loaded: what identifies its version, and the tokens read from it. */
    private record Loaded(Map<String, Entry> byId, FileTime modified, long size) {
    }

    private final Optional<Path> file;
    private final Optional<String> inline;
    private final Clock clock;
    private final long reloadEveryMillis;
    private volatile Loaded loaded;
    private final AtomicLong nextCheckAt = new AtomicLong();
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong reloadFailures = new AtomicLong();
    /** The version of the file that last failed to load (size -1: the file could not be read), not tried again. */
    private static final long NO_FAILURE = -2;
    private volatile FileTime failedModified;
    private volatile long failedSize = NO_FAILURE;
    /** Verified slow (PBKDF2) tokens, keyed by an HMAC of the token under a key that lives only in memory. */
    private final Map<String, Entry> remembered = new ConcurrentHashMap<>();
    private final byte[] rememberKey = new byte[32];
    /** How many times a presented token went through its slow hash: what remembering saves. */
    private final LongAdder slowHashChecks = new LongAdder();

    private TokenRegistry(Optional<Path> file, Optional<String> inline, Clock clock, Duration reloadEvery, Loaded loaded) {
        this.file = file;
        this.inline = inline;
        this.clock = clock;
        this.reloadEveryMillis = reloadEvery.toMillis();
        this.loaded = loaded;
        this.nextCheckAt.set(clock.millis() + reloadEveryMillis);
        TokenHash.RANDOM.nextBytes(rememberKey);
    }

    /** Reads the lines of a tokens file and/or an inline list (lines or ';'-separated); at least one token. */
    public static TokenRegistry load(Optional<Path> file, Optional<String> inline) {
        return load(file, inline, Clock.systemUTC(), Duration.ZERO);
    }

    /**
     * As {@link #load(Optional, Optional)}, judging expiry by {@code clock}, and re-reading the file when it has
     * changed, at most every {@code reloadEvery} (zero: never).
     */
    public static TokenRegistry load(Optional<Path> file, Optional<String> inline, Clock clock, Duration reloadEvery) {
        Loaded loaded = read(file, inline);
        if (loaded.byId.isEmpty()) {
            throw new IllegalArgumentException("no API token configured: create one with 'hash-token --role agent --name NAME' "
                    + "and pass the line it prints with --tokens FILE or GRIDTIER_TIER_TOKENS_INLINE");
        }
        return new TokenRegistry(file, inline, clock, reloadEvery, loaded);
    }

    public static TokenRegistry of(List<String> lines) {
        return of(lines, Clock.systemUTC());
    }

    public static TokenRegistry of(List<String> lines, Clock clock) {
        Map<String, Entry> byId = new HashMap<>();
        parse(lines, "the token lines", byId);
        return new TokenRegistry(Optional.empty(), Optional.empty(), clock, Duration.ZERO, new Loaded(Map.copyOf(byId), null, -1));
    }

    private static Loaded read(Optional<Path> file, Optional<String> inline) {
        Map<String, Entry> byId = new HashMap<>();
        FileTime modified = null;
        long size = -1;
        if (file.isPresent()) {
            List<String> lines;
            try {
                BasicFileAttributes a = Files.readAttributes(file.get(), BasicFileAttributes.class);
                modified = a.lastModifiedTime();
                size = a.size();
                lines = Files.readAllLines(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the tokens file " + file.get() + ": " + e.getMessage(), e);
            }
            parse(lines, file.get().toString(), byId);
        }
        inline.ifPresent(s -> parse(List.of(s.split("[;\\n]")), "the inline tokens", byId));
        return new Loaded(Map.copyOf(byId), modified, size);
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
            if (f.length != 4 && !(f.length == 5 && f[4].startsWith(EXPIRES))) {
                throw new IllegalArgumentException(where + ": expected 'tokenId role name hash' and optionally "
                        + "'expires=<ISO-8601 instant>', found " + f.length + " fields");
            }
            if (!TOKEN_ID.matcher(f[0]).matches()) {
                throw new IllegalArgumentException(where + ": token id must be 4-32 lower-case letters or digits");
            }
            if (!NAME.matcher(f[2]).matches()) {
                throw new IllegalArgumentException(where + ": name must be 1-64 letters, digits, '.', '_', '@' or '-'");
            }
            Role role;
            TokenHash th;
            Instant expires = null;
            try {
                role = Role.parse(f[1]);
                th = TokenHash.parse(f[3]);
                if (f.length == 5) {
                    expires = parseExpiry(f[4].substring(EXPIRES.length()));
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage());
            }
            if (into.put(f[0], new Entry(new Principal(f[0], f[2], role), th, expires)) != null) {
                throw new IllegalArgumentException(where + ": token id " + f[0] + " appears twice");
            }
        }
    }

    /** An ISO-8601 instant with an offset, e.g. 2027-01-31T00:00:00Z or 2027-01-31T00:00:00+08:00. */
    public static Instant parseExpiry(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expiry '" + s + "' is not an ISO-8601 instant with an offset, "
                    + "e.g. 2027-01-31T00:00:00Z");
        }
    }

    /** Re-reads the file if it is time to look and it has changed; one thread looks, the others go on. */
    private void reloadIfChanged() {
        if (file.isEmpty() || reloadEveryMillis <= 0) {
            return;
        }
        long now = clock.millis();
        long due = nextCheckAt.get();
        if (now < due || !nextCheckAt.compareAndSet(due, now + reloadEveryMillis)) {
            return;
        }
        Loaded current = loaded;
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file.get(), BasicFileAttributes.class);
        } catch (IOException e) {
            if (failedSize != -1) { // said once, not at every look
                failedModified = null;
                failedSize = -1;
                failed(current, e.toString());
            }
            return;
        }
        if (a.lastModifiedTime().equals(current.modified) && a.size() == current.size
                || a.lastModifiedTime().equals(failedModified) && a.size() == failedSize) {
            return;
        }
        try {
            Loaded fresh = read(file, inline);
            if (fresh.byId.isEmpty()) {
                throw new IllegalArgumentException("it holds no token");
            }
            loaded = fresh;
            remembered.clear();
            failedSize = NO_FAILURE;
            reloads.incrementAndGet();
            LOG.info("tokens file {} re-read: {} tokens (were {})", file.get(), fresh.byId.size(), current.byId.size());
        } catch (RuntimeException e) {
            failedModified = a.lastModifiedTime();
            failedSize = a.size();
            failed(current, e.getMessage());
        }
    }

    private void failed(Loaded current, String why) {
        reloadFailures.incrementAndGet();
        LOG.error("tokens file {} changed but cannot be used, the {} tokens in force stay: {}", file.get(),
                current.byId.size(), why);
    }

    /** The principal a presented token stands for, or empty when it is not a valid token (or has expired). */
    public Optional<Principal> authenticate(String token) {
        return check(token).principal();
    }

    /** Checks a presented token: accepted with its principal, invalid (unknown, revoked, mistyped) or expired. */
    public Check check(String token) {
        reloadIfChanged();
        if (token == null) {
            return Check.INVALID_TOKEN;
        }
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            return Check.INVALID_TOKEN;
        }
        Entry entry = loaded.byId.get(m.group(1));
        if (entry == null) {
            DECOY.matches(token);
            return Check.INVALID_TOKEN;
        }
        if (entry.hash.slow()) {
            String key = rememberKey(token);
            // remembered only if verified against this very line: a changed line is verified again
            if (remembered.get(key) != entry) {
                slowHashChecks.increment();
                if (!entry.hash.matches(token)) {
                    return Check.INVALID_TOKEN;
                }
                if (remembered.size() >= MAX_REMEMBERED) {
                    remembered.clear();
                }
                remembered.put(key, entry);
            }
        } else if (!entry.hash.matches(token)) {
            return Check.INVALID_TOKEN;
        }
        // the secret is checked first, so that only its holder learns that a token has expired
        return entry.expired(clock.instant()) ? Check.EXPIRED_TOKEN : new Check(Outcome.ACCEPTED, Optional.of(entry.principal));
    }

    public int size() {
        return loaded.byId.size();
    }

    /** Times the tokens file was re-read and taken, and times it changed but could not be used. */
    public long reloads() {
        return reloads.get();
    }

    public long reloadFailures() {
        return reloadFailures.get();
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

    /** The configuration line for a token that never expires. */
    public static String line(String token, Role role, String name, boolean pbkdf2) {
        return line(token, role, name, pbkdf2, Optional.empty());
    }

    /** The configuration line for a token, expiring at {@code expires} if given. */
    public static String line(String token, Role role, String name, boolean pbkdf2, Optional<Instant> expires) {
        Matcher m = TOKEN.matcher(token);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a token of the form gt_<id>_<secret>");
        }
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("name must be 1-64 letters, digits, '.', '_', '@' or '-'");
        }
        TokenHash h = pbkdf2 ? TokenHash.pbkdf2(token, 210_000) : TokenHash.sha256(token);
        return m.group(1) + " " + role.label() + " " + name + " " + h.spec()
                + expires.map(e -> " " + EXPIRES + e).orElse("");
    }

    /** All ids, for diagnostics. */
    public List<String> ids() {
        return new ArrayList<>(loaded.byId.keySet());
    }
}
