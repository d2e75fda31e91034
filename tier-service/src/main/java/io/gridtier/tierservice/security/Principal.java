package io.gridtier.tierservice.security;

/** Who made a request: the token's id, the name it was issued to, and its role. */
public record Principal(String tokenId, String name, Role role) {
}
