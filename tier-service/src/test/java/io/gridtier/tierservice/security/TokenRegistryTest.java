package io.gridtier.tierservice.security;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenRegistryTest {

    @Test
    void aTokenIsAcceptedThroughTheHashLineThatHashTokenPrints() {
        String id = TokenRegistry.newTokenId();
        String token = TokenRegistry.newToken(id);
        String line = TokenRegistry.line(token, Role.SUPERVISOR, "sam", false);
        // the secret is everything after "gt_ID_": it is base64url, so it may hold '_' itself
        assertThat(line).matches("[0-9a-f]{8} supervisor sam sha256:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}")
                .doesNotContain(token.substring(("gt_" + id + "_").length()));
        TokenRegistry registry = TokenRegistry.of(List.of("# the supervisors", line));
        assertThat(registry.authenticate(token)).contains(new Principal(line.substring(0, 8), "sam", Role.SUPERVISOR));
    }

    @Test
    void pbkdf2HashesWorkAndAreRememberedOnlyInMemory() {
        String token = TokenRegistry.newToken("svc1");
        String line = TokenRegistry.line(token, Role.SERVICE, "prometheus", true);
        assertThat(line).contains(" pbkdf2-sha256:210000:");
        TokenRegistry registry = TokenRegistry.of(List.of(line));
        assertThat(registry.authenticate(token)).map(Principal::role).contains(Role.SERVICE);
        assertThat(registry.slowHashChecks()).as("the first check computes the PBKDF2 hash").isEqualTo(1);
        assertThat(registry.authenticate(token)).isPresent();
        assertThat(registry.slowHashChecks()).as("the second check is remembered").isEqualTo(1);
        assertThat(registry.authenticate(token.substring(0, token.length() - 1) + "x")).isEmpty();
        assertThat(registry.slowHashChecks()).as("a wrong secret is never remembered").isEqualTo(2);
    }

    @Test
    void wrongSecretsUnknownIdsAndOtherShapesAreRefused() {
        String token = TokenRegistry.newToken("abcd1234");
        TokenRegistry registry = TokenRegistry.of(List.of(TokenRegistry.line(token, Role.AGENT, "alice", false)));
        String secret = token.substring("gt_abcd1234_".length());
        assertThat(registry.authenticate("gt_abcd1234_" + new StringBuilder(secret).reverse())).isEmpty();
        assertThat(registry.authenticate("gt_ffff0000_" + secret)).isEmpty();
        assertThat(registry.authenticate(secret)).isEmpty();
        assertThat(registry.authenticate("")).isEmpty();
        assertThat(registry.authenticate(null)).isEmpty();
        assertThat(registry.authenticate(token + " ")).isEmpty();
    }

    @Test
    void rolesIncludeTheOnesBelowThem() {
        assertThat(Role.SERVICE.includes(Role.SUPERVISOR)).isTrue();
        assertThat(Role.SUPERVISOR.includes(Role.AGENT)).isTrue();
        assertThat(Role.AGENT.includes(Role.SUPERVISOR)).isFalse();
        assertThat(Role.SUPERVISOR.includes(Role.SERVICE)).isFalse();
    }

    @Test
    void badConfigurationLinesSayWhereAndWhat() {
        String good = TokenRegistry.line(TokenRegistry.newToken("abcd1234"), Role.AGENT, "alice", false);
        assertThatThrownBy(() -> TokenRegistry.of(List.of(good, good)))
                .hasMessageContaining("line 2").hasMessageContaining("appears twice");
        assertThatThrownBy(() -> TokenRegistry.of(List.of(good.replace(" agent ", " admin "))))
                .hasMessageContaining("line 1").hasMessageContaining("unknown role 'admin'");
        assertThatThrownBy(() -> TokenRegistry.of(List.of("", "abcd1234 agent alice md5:xyz")))
                .hasMessageContaining("line 2").hasMessageContaining("malformed hash");
        assertThatThrownBy(() -> TokenRegistry.of(List.of("abcd1234 agent alice")))
                .hasMessageContaining("expected 'tokenId role name hash'");
        assertThatThrownBy(() -> TokenRegistry.load(Optional.empty(), Optional.of(" ; ")))
                .hasMessageContaining("no API token configured");
    }

    @Test
    void logPseudonymsAreStableUnderOneKeyAndDifferUnderAnother() {
        IdHasher a = new IdHasher(Optional.of("key-1"));
        IdHasher b = new IdHasher(Optional.of("key-2"));
        assertThat(a.hash("C100")).hasSize(16).isEqualTo(a.hash("C100")).isNotEqualTo(a.hash("C101"))
                .isNotEqualTo(b.hash("C100"));
    }
}
