package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.testing.MutableClock;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.Ed25519Jwk;
import com.mp3converter.shared.token.InvalidTokenException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class VerifiedAccessTokensTest {
  private static final Instant START = Instant.parse("2026-01-01T12:00:00Z");
  private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);
  private static final Duration MAX_AGE = Duration.ofMinutes(10);

  private final KeyPair keys = ed25519();
  private final String kid = Ed25519Jwk.thumbprint(keys.getPublic());
  private final MutableClock clock = new MutableClock(START);
  private final AtomicInteger keyLookups = new AtomicInteger();
  private final AtomicBoolean keyPublished = new AtomicBoolean(true);
  private final VerifiedAccessTokens tokens = new VerifiedAccessTokens(new AccessTokenVerifier(this::lookUp,
      "mp3-converter-auth", "mp3-converter", Duration.ofSeconds(30), clock), MAX_AGE, clock);

  private Optional<PublicKey> lookUp(String requested) {
    keyLookups.incrementAndGet();
    return requested.equals(kid) && keyPublished.get() ? Optional.of(keys.getPublic()) : Optional.empty();
  }

  @Test
  void aTokenVerifiedOnceIsRecognisedWithoutCheckingItsSignatureAgain() {
    String user = UUID.randomUUID().toString();
    String token = token(user);

    assertThat(tokens.verify(token).userId()).isEqualTo(user);
    assertThat(tokens.verify(token).userId()).isEqualTo(user);
    assertThat(keyLookups).hasValue(1);
  }

  @Test
  void aForgedVariantOfAVerifiedTokenIsStillRefused() {
    String token = token(UUID.randomUUID().toString());
    tokens.verify(token);
    String otherSignature = token.substring(0, token.length() - 2) + (token.endsWith("AA") ? "BB" : "AA");

    assertThatThrownBy(() -> tokens.verify(otherSignature)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void aVerifiedTokenIsRefusedOnceItHasExpired() {
    String token = token(UUID.randomUUID().toString());
    // Verified when its exp is nearer than MAX_AGE: kept until its exp.
    clock.set(START.plus(TOKEN_LIFETIME).minus(MAX_AGE).plusSeconds(60));
    tokens.verify(token);

    clock.set(START.plus(TOKEN_LIFETIME).plus(Duration.ofMinutes(1)));
    assertThatThrownBy(() -> tokens.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isTrue());
  }

  @Test
  void aVerifiedTokenIsCheckedAgainAfterTheJwksMaxAgeSoAWithdrawnKeyStopsCounting() {
    String token = token(UUID.randomUUID().toString());
    tokens.verify(token);
    keyPublished.set(false);

    clock.set(START.plus(MAX_AGE).plusSeconds(1));
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void refusedTokensAreNotKept() {
    String token = token(UUID.randomUUID().toString());
    keyPublished.set(false);
    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class);

    assertThatThrownBy(() -> tokens.verify(token)).isInstanceOf(InvalidTokenException.class);
    assertThat(keyLookups).hasValue(2);
  }

  private String token(String subject) {
    return new AccessTokenIssuer(keys.getPrivate(), kid, Map.of(kid, keys.getPublic()), "mp3-converter-auth",
        "mp3-converter", TOKEN_LIFETIME, Clock.fixed(clock.instant(), ZoneOffset.UTC))
        .issue(new AccessClaims(subject, "a@b.example", "A", true));
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
