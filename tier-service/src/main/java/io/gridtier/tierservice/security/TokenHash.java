package io.gridtier.tierservice.security;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A stored token hash, as written in the tokens file: {@code sha256:SALT:HASH} (SHA-256 of salt and token) or
 * {@code pbkdf2-sha256:ITERATIONS:SALT:HASH}, salt and hash in unpadded base64url. Tokens are 256 random bits,
 * so a salted SHA-256 cannot be brute-forced and costs a microsecond per request; PBKDF2 is accepted for
 * operators whose policy asks for it (the service then remembers verified tokens, see {@link TokenRegistry}).
 */
public sealed interface TokenHash {
    Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    Base64.Decoder B64D = Base64.getUrlDecoder();
    SecureRandom RANDOM = new SecureRandom();

    /** True when the token hashes to this; the comparison takes the same time wherever the bytes differ. */
    boolean matches(String token);

    /** Whether checking costs enough to be worth remembering. */
    boolean slow();

    String spec();

    static TokenHash parse(String spec) {
        String[] p = spec.split(":", -1);
        try {
            if (p[0].equals("sha256") && p.length == 3) {
                return new Sha256(B64D.decode(p[1]), B64D.decode(p[2]));
            }
            if (p[0].equals("pbkdf2-sha256") && p.length == 4) {
                int iterations = Integer.parseInt(p[1]);
                if (iterations < 1000) {
                    throw new IllegalArgumentException("pbkdf2 needs at least 1000 iterations");
                }
                return new Pbkdf2(iterations, B64D.decode(p[2]), B64D.decode(p[3]));
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("malformed hash '" + abbreviate(spec) + "': " + e.getMessage());
        }
        throw new IllegalArgumentException("malformed hash '" + abbreviate(spec)
                + "': expected sha256:SALT:HASH or pbkdf2-sha256:ITERATIONS:SALT:HASH");
    }

    static TokenHash sha256(String token) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Sha256(salt, Sha256.digest(salt, token));
    }

    static TokenHash pbkdf2(String token, int iterations) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return new Pbkdf2(iterations, salt, Pbkdf2.derive(token, salt, iterations));
    }

    private static String abbreviate(String s) {
        return s.length() <= 20 ? s : s.substring(0, 20) + "...";
    }

    record Sha256(byte[] salt, byte[] hash) implements TokenHash {
        public Sha256 {
            if (salt.length < 8 || hash.length != 32) {
                throw new IllegalArgumentException("salt must be at least 8 bytes and the hash 32");
            }
        }

        static byte[] digest(byte[] salt, String token) {
            try {
                MessageDigest d = MessageDigest.getInstance("SHA-256");
                d.update(salt);
                d.update(token.getBytes(StandardCharsets.UTF_8));
                return d.digest();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean matches(String token) {
            return MessageDigest.isEqual(hash, digest(salt, token));
        }

        @Override
        public boolean slow() {
            return false;
        }

        @Override
        public String spec() {
            return "sha256:" + B64.encodeToString(salt) + ":" + B64.encodeToString(hash);
        }
    }

    record Pbkdf2(int iterations, byte[] salt, byte[] hash) implements TokenHash {
        public Pbkdf2 {
            if (salt.length < 8 || hash.length != 32) {
                throw new IllegalArgumentException("salt must be at least 8 bytes and the hash 32");
            }
        }

        static byte[] derive(String token, byte[] salt, int iterations) {
            try {
                PBEKeySpec spec = new PBEKeySpec(token.toCharArray(), salt, iterations, 256);
                return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public boolean matches(String token) {
            return MessageDigest.isEqual(hash, derive(token, salt, iterations));
        }

        @Override
        public boolean slow() {
            return true;
        }

        @Override
        public String spec() {
            return "pbkdf2-sha256:" + iterations + ":" + B64.encodeToString(salt) + ":" + B64.encodeToString(hash);
        }
    }
}
