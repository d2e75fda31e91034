package io.gridtier.tierservice.security;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Pseudonymises customer ids for access logs: the first 16 hex digits of HMAC-SHA256 under a secret key. A plain
 * hash would not do: customer ids are short and guessable, so anyone could hash them all and reverse the log.
 * With the same key the same id gives the same pseudonym, so one customer's requests can still be followed.
 */
public final class IdHasher {
    private final byte[] key;

    public IdHasher(Optional<String> secret) {
        if (secret.isPresent()) {
            try {
                key = MessageDigest.getInstance("SHA-256").digest(secret.get().getBytes(StandardCharsets.UTF_8));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        } else {
            key = new byte[32];
            TokenHash.RANDOM.nextBytes(key);
        }
    }

    public String hash(String customerId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] h = mac.doFinal(customerId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
