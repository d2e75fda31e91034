package io.gridtier.tierservice.support;

import io.gridtier.tierservice.security.Role;
import io.gridtier.tierservice.security.TokenRegistry;

/** One token per role for the tests, made at class load; the service only ever sees their hash lines. */
public final class TestTokens {
    public static final String AGENT = TokenRegistry.newToken("agent01");
    public static final String SUPERVISOR = TokenRegistry.newToken("super01");
    public static final String SERVICE = TokenRegistry.newToken("service01");
    /** The lines for GRIDTIER_TIER_TOKENS_INLINE / --tokens-inline, ';'-separated. */
    public static final String INLINE = String.join(";",
            TokenRegistry.line(AGENT, Role.AGENT, "alice", false),
            TokenRegistry.line(SUPERVISOR, Role.SUPERVISOR, "sam", false),
            TokenRegistry.line(SERVICE, Role.SERVICE, "prometheus", true));

    private TestTokens() {
    }
}
