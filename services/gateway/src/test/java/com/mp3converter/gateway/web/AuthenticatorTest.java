package com.mp3converter.gateway.web;

import com.mp3converter.shared.token.BearerTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.Ed25519Jwk;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class AuthenticatorTest {
  private static final Clock NOW = Clock.fixed(Instant.parse("2026-01-01T12:00:00Z"), ZoneOffset.UTC);

  private final KeyPair keys = ed25519();
  private final String kid = Ed25519Jwk.thumbprint(keys.getPublic());
  private final java.util.Set<UUID> deleted = new java.util.HashSet<>();
  private final Authenticator authenticator = new Authenticator(new VerifiedAccessTokens(new AccessTokenVerifier(
      k -> k.equals(kid) ? Optional.of(keys.getPublic()) : Optional.empty(),
      "mp3-converter-auth", "mp3-converter", Duration.ofSeconds(30), NOW), Duration.ofMinutes(10), NOW),
      deleted::contains);

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private String token(String subject, Clock clock) {
    return new AccessTokenIssuer(keys.getPrivate(), kid, Map.of(kid, keys.getPublic()), "mp3-converter-auth",
        "mp3-converter", Duration.ofMinutes(15), clock).issue(new AccessClaims(subject, "a@b.example", "A", true));
  }

  private static void assertChallenge(Runnable call, String detailPart) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ProblemException.class, p -> {
      assertThat(p.problem().status()).isEqualTo(401);
      assertThat(p.problem().detail()).contains(detailPart);
      assertThat(p.headers().get("WWW-Authenticate")).startsWith("Bearer");
    });
  }

  @Test
  void acceptsAValidBearerToken() {
    String user = UUID.randomUUID().toString();
    assertThat(authenticator.authenticate("Bearer " + token(user, NOW)).userId()).isEqualTo(user);
  }

  @Test
  void refusesMissingMalformedAndExpiredTokensWith401() {
    assertChallenge(() -> authenticator.authenticate(null), "required");
    assertChallenge(() -> authenticator.authenticate("Basic dXNlcjpwYXNz"), "required");
    assertChallenge(() -> authenticator.authenticate("Bearer not.a.jwt"), "not valid");
    Clock hourAgo = Clock.offset(NOW, Duration.ofHours(-1));
    assertChallenge(() -> authenticator.authenticate("Bearer " + token(UUID.randomUUID().toString(), hourAgo)), "expired");
  }

  @Test
  void refusesTokensWhoseSubjectIsNotAUserId() {
    assertChallenge(() -> authenticator.authenticate("Bearer " + token("admin", NOW)), "not valid");
  }

  @Test
  void refusesTheTokensOfADeletedAccount() {
    UUID user = UUID.randomUUID();
    String token = token(user.toString(), NOW);
    deleted.add(user);

    assertChallenge(() -> authenticator.authenticate("Bearer " + token), "deleted");
  }

  @Test
  void conversionsNeedAVerifiedAddress() {
    String user = UUID.randomUUID().toString();
    authenticator.requireVerifiedEmail(new AccessClaims(user, "a@b.example", "A", true));

    assertThatThrownBy(() -> authenticator.requireVerifiedEmail(new AccessClaims(user, "a@b.example", "A", false)))
        .isInstanceOfSatisfying(ProblemException.class, p -> {
          assertThat(p.problem().status()).isEqualTo(403);
          assertThat(p.problem().type()).isEqualTo("/problems/email-not-verified");
        });
  }

  @Test
  void parsesTheBearerScheme() {
    assertThat(BearerTokens.token("Bearer abc")).isEqualTo("abc");
    assertThat(BearerTokens.token("  BEARER   abc ")).isEqualTo("abc");
    assertThat(BearerTokens.token("Bearerabc")).isNull();
    assertThat(BearerTokens.token("Bearer    ")).isNull();
  }
}
