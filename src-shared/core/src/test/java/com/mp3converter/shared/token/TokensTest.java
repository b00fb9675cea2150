package com.mp3converter.shared.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.Json;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Genuine tokens and their lifetimes; forged and misused ones are in TokenHostileInputTest. */
class TokensTest {
  private static final String ISS = "mp3-converter-auth";
  private static final String AUD = "mp3-converter";
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  private final KeyPair keys = ed25519();
  private final String kid = Ed25519Jwk.thumbprint(keys.getPublic());
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final AccessTokenIssuer issuer = new AccessTokenIssuer(
      keys.getPrivate(), kid, Map.of(kid, keys.getPublic()), ISS, AUD, Duration.ofMinutes(15), clock);
  private final AccessClaims alice = new AccessClaims("7b0f6a4e-2b8e-4a55-9d3c-0f4c1f0a9a11", "alice@example.com", "Alice", true);

  private static KeyPair ed25519() {
    try {
      return java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private AccessTokenVerifier verifierAt(Instant instant) throws Exception {
    Map<String, PublicKey> published = RemoteJwks.parse(Json.MESSAGES.writeValueAsString(issuer.jwks()));
    return new AccessTokenVerifier(
        id -> Optional.ofNullable(published.get(id)), ISS, AUD, Duration.ofSeconds(30),
        Clock.fixed(instant, ZoneOffset.UTC));
  }

  @Test
  void issuedTokensVerifyThroughThePublishedJwks() throws Exception {
    assertThat(verifierAt(NOW).verify(issuer.issue(alice))).isEqualTo(alice);
  }

  @Test
  void expiredTokensAreRefusedAsExpiredPastTheSkew() throws Exception {
    String token = issuer.issue(alice);
    assertThat(verifierAt(NOW.plus(Duration.ofMinutes(15)).plusSeconds(29)).verify(token)).isEqualTo(alice);
    assertThatThrownBy(() -> verifierAt(NOW.plus(Duration.ofMinutes(15)).plusSeconds(31)).verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isTrue());
  }

  @Test
  void downloadTokensAreBoundToJobAndUserAndExpire() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    DownloadTokens tokens = new DownloadTokens(key, "gateway", "mp3-converter-download", Duration.ofDays(7), clock);
    DownloadTokens.Issued issued = tokens.issue("job-1", "user-1");
    assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofDays(7)));
    assertThat(tokens.verify(issued.token())).isEqualTo(new DownloadTokens.Grant("job-1", "user-1"));

    DownloadTokens later = new DownloadTokens(key, "gateway", "mp3-converter-download", Duration.ofDays(7),
        Clock.fixed(NOW.plus(Duration.ofDays(7)).plusSeconds(1), ZoneOffset.UTC));
    assertThatThrownBy(() -> later.verify(issued.token()))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isTrue());

    byte[] otherKey = key.clone();
    otherKey[0] ^= 1;
    DownloadTokens forger = new DownloadTokens(otherKey, "gateway", "mp3-converter-download", Duration.ofDays(7), clock);
    assertThatThrownBy(() -> tokens.verify(forger.issue("job-1", "user-1").token()))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isFalse());
  }

  @Test
  void aDownloadTokenMayExpireWithItsFileInsteadOfAfterTheLifetime() {
    byte[] key = new byte[32];
    new java.security.SecureRandom().nextBytes(key);
    DownloadTokens tokens = new DownloadTokens(key, "gateway", "mp3-converter-download", Duration.ofDays(7), clock);
    Instant fileExpires = NOW.plus(Duration.ofHours(30)).plusNanos(123_456_000);
    DownloadTokens.Issued issued = tokens.issue("job-1", "user-1", fileExpires);
    // JWTs carry whole seconds: the token ends at or just before the file, never after it.
    assertThat(issued.expiresAt()).isEqualTo(NOW.plus(Duration.ofHours(30)));

    DownloadTokens justBefore = new DownloadTokens(key, "gateway", "mp3-converter-download", Duration.ofDays(7),
        Clock.fixed(NOW.plus(Duration.ofHours(30)).minusSeconds(1), ZoneOffset.UTC));
    assertThat(justBefore.verify(issued.token())).isEqualTo(new DownloadTokens.Grant("job-1", "user-1"));
    DownloadTokens after = new DownloadTokens(key, "gateway", "mp3-converter-download", Duration.ofDays(7),
        Clock.fixed(NOW.plus(Duration.ofHours(30)).plusSeconds(1), ZoneOffset.UTC));
    assertThatThrownBy(() -> after.verify(issued.token()))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isTrue());
  }

  @Test
  void thumbprintIsStableAndJwkRoundTrips() {
    assertThat(Ed25519Jwk.thumbprint(keys.getPublic())).isEqualTo(kid).hasSize(43);
    assertThat(Ed25519Jwk.publicKey(Ed25519Jwk.x(keys.getPublic()))).isEqualTo(keys.getPublic());
  }
}
