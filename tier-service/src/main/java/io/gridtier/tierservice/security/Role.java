package io.gridtier.tierservice.security;

import java.util.Locale;

/**
 * What a token may read. Each role includes the ones before it: an agent looks up single customers and their
 * history; a supervisor also lists segments; a service (integrations, Prometheus) may read everything.
 */
public enum Role {
    AGENT, SUPERVISOR, SERVICE;

    public boolean includes(Role required) {
        return ordinal() >= required.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String s) {
        for (Role r : values()) {
            if (r.label().equals(s)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role '" + s + "' (agent, supervisor or service)");
    }
}
