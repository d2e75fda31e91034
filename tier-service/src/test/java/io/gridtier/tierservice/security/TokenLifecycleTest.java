package io.gridtier.tierservice.security;

import io.gridtier.tierservice.support.TestClock;
import io.gridtier.tierservice.support.TestWork;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokens over time: expiry, and revocation or addition through the tokens file without a restart. */
class TokenLifecycleTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration EVERY = Duration.ofSeconds(5);
    private final TestClock clock = new TestClock(START);
    private final Path dir = TestWork.newDir("tokens");
    private final Path file = dir.resolve("tokens");
    private final String alice = TokenRegistry.newToken("alice001");
    private final String bob = TokenRegistry.newToken("bob00001");
    private final String aliceLine = TokenRegistry.line(alice, Role.AGENT, "alice", false);
    private final String bobLine = TokenRegistry.line(bob, Role.SUPERVISOR, "bob", false);
    private long version;

    @AfterEach
    void cleanUp() throws IOException {
        TestWork.deleteTree(dir);
    }

    /** Writes the file with a modification time of its own, as an edit a second later would. */
    private void write(String... lines) throws IOException {
        Files.write(file, List.of(lines), StandardCharsets.UTF_8);
        Files.setLastModifiedTime(file, FileTime.from(START.plusSeconds(++version)));
    }

    private TokenRegistry load() {
        return TokenRegistry.load(Optional.of(file), Optional.empty(), clock, EVERY);
    }

    @Test
    void aTokenIsAcceptedUntilItsExpiryAndThenRefusedAsExpired() {
        Instant expiry = START.plus(Duration.ofDays(90));
        String line = TokenRegistry.line(alice, Role.AGENT, "alice", false, Optional.of(expiry));
        assertThat(line).endsWith(" expires=2026-04-01T00:00:00Z");
        TokenRegistry registry = TokenRegistry.of(List.of(line, bobLine), clock);

        clock.advance(Duration.ofDays(90).minusMillis(1));
        assertThat(registry.check(alice).outcome()).isEqualTo(TokenRegistry.Outcome.ACCEPTED);
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.check(alice)).isEqualTo(new TokenRegistry.Check(TokenRegistry.Outcome.EXPIRED, Optional.empty()));
        assertThat(registry.authenticate(alice)).isEmpty();
        assertThat(registry.check(bob).outcome()).as("no expiry: never expires").isEqualTo(TokenRegistry.Outcome.ACCEPTED);
        // only the secret's holder learns that the token has expired
        String wrong = alice.substring(0, alice.length() - 4) + "AAAA";
        assertThat(registry.check(wrong).outcome()).isEqualTo(TokenRegistry.Outcome.INVALID);
    }

    @Test
    void aRememberedPbkdf2TokenExpiresToo() {
        String token = TokenRegistry.newToken("svc00001");
        TokenRegistry registry = TokenRegistry.of(List.of(TokenRegistry.line(token, Role.SERVICE, "prometheus", true,
                Optional.of(START.plusSeconds(60)))), clock);
        assertThat(registry.check(token).outcome()).isEqualTo(TokenRegistry.Outcome.ACCEPTED);
        assertThat(registry.check(token).outcome()).as("remembered").isEqualTo(TokenRegistry.Outcome.ACCEPTED);
        clock.advance(Duration.ofSeconds(60));
        assertThat(registry.check(token).outcome()).isEqualTo(TokenRegistry.Outcome.EXPIRED);
    }

    @Test
    void expiriesWithAnOffsetAreReadAndMalformedOnesNamed() {
        String line = aliceLine + " expires=2026-01-01T08:00:00+08:00";
        assertThat(TokenRegistry.of(List.of(line), clock).check(alice).outcome()).isEqualTo(TokenRegistry.Outcome.EXPIRED);
        assertThatThrownBy(() -> TokenRegistry.of(List.of(bobLine, aliceLine + " expires=next-year")))
                .hasMessageContaining("line 2").hasMessageContaining("expiry 'next-year' is not an ISO-8601 instant");
        assertThatThrownBy(() -> TokenRegistry.of(List.of(aliceLine + " 2027-01-01T00:00:00Z")))
                .hasMessageContaining("expected 'tokenId role name hash' and optionally 'expires=<ISO-8601 instant>'");
    }

    @Test
    void aLineDeletedFromTheFileIsRefusedWithinTheReloadIntervalWithoutARestart() throws IOException {
        write(aliceLine, bobLine);
        TokenRegistry registry = load();
        assertThat(registry.authenticate(alice)).isPresent();

        write("# alice left", bobLine);
        clock.advance(EVERY.minusMillis(1));
        assertThat(registry.authenticate(alice)).as("not looked at yet").isPresent();
        clock.advance(Duration.ofMillis(1));
        assertThat(registry.authenticate(alice)).as("revoked").isEmpty();
        assertThat(registry.authenticate(bob)).isPresent();
        assertThat(registry.reloads()).isEqualTo(1);
        assertThat(registry.size()).isEqualTo(1);

        String carol = TokenRegistry.newToken("carol001");
        write(bobLine, TokenRegistry.line(carol, Role.AGENT, "carol", false));
        clock.advance(EVERY);
        assertThat(registry.authenticate(carol)).as("added").isPresent();
        assertThat(registry.reloads()).isEqualTo(2);
    }

    @Test
    void aRevokedPbkdf2TokenIsNotRemembered() throws IOException {
        String token = TokenRegistry.newToken("svc00001");
        String line = TokenRegistry.line(token, Role.SERVICE, "prometheus", true);
        write(line, bobLine);
        TokenRegistry registry = load();
        assertThat(registry.authenticate(token)).isPresent();
        write(bobLine);
        clock.advance(EVERY);
        assertThat(registry.authenticate(token)).isEmpty();
    }

    @Test
    void anUnchangedFileIsNotReadAgain() throws IOException {
        write(aliceLine);
        TokenRegistry registry = load();
        for (int i = 0; i < 10; i++) {
            clock.advance(EVERY);
            assertThat(registry.authenticate(alice)).isPresent();
        }
        assertThat(registry.reloads()).isZero();
        assertThat(registry.reloadFailures()).isZero();
    }

    @Test
    void aFileThatNoLongerParsesOrHasGoneKeepsTheTokensInForce() throws IOException {
        write(aliceLine, bobLine);
        TokenRegistry registry = load();
        write(aliceLine, "bob00001 supervisor bob"); // a half-saved edit
        clock.advance(EVERY);
        assertThat(registry.authenticate(bob)).as("the tokens in force stay").isPresent();
        assertThat(registry.reloadFailures()).isEqualTo(1);
        clock.advance(EVERY);
        assertThat(registry.authenticate(bob)).isPresent();
        assertThat(registry.reloadFailures()).as("the same broken version is not tried again").isEqualTo(1);

        write("# nothing");
        clock.advance(EVERY);
        assertThat(registry.authenticate(alice)).as("an empty file would lock everyone out").isPresent();
        Files.delete(file);
        clock.advance(EVERY);
        assertThat(registry.authenticate(alice)).isPresent();
        clock.advance(EVERY);
        assertThat(registry.authenticate(alice)).isPresent();
        assertThat(registry.reloadFailures()).isEqualTo(3);

        write(bobLine);
        clock.advance(EVERY);
        assertThat(registry.authenticate(alice)).as("fixed: taken").isEmpty();
        assertThat(registry.reloads()).isEqualTo(1);
    }

    @Test
    void withoutAReloadIntervalTheFileIsReadOnce() throws IOException {
        write(aliceLine);
        TokenRegistry registry = TokenRegistry.load(Optional.of(file), Optional.empty(), clock, Duration.ZERO);
        write(bobLine);
        clock.advance(Duration.ofDays(1));
        assertThat(registry.authenticate(alice)).isPresent();
        assertThat(registry.authenticate(bob)).isEmpty();
    }

    @Test
    void inlineTokensStayAcrossReloadsOfTheFile() throws IOException {
        write(aliceLine);
        TokenRegistry registry = TokenRegistry.load(Optional.of(file), Optional.of(bobLine), clock, EVERY);
        write("# alice left");
        clock.advance(EVERY);
        assertThat(registry.authenticate(alice)).isEmpty();
        assertThat(registry.authenticate(bob)).isPresent();
    }
}
