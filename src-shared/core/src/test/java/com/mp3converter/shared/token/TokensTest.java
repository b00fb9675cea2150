package com.mp3converter.shared.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.Json;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TokensTest {
  private static final String ISS = "mp3-converter-auth";
  private static final String AUD = "mp3-converter";
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");

  private final KeyPair keys = ed25519();
  private final String kid = Ed25519Jwk.thumbprint(keys.getPublic());
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final AccessTokenIssuer issuer = new AccessTokenIssuer(
      keys.getPrivate(), kid, Map.of(kid, keys.getPublic()), ISS, AUD, Duration.ofMinutes(15), clock);
  private final AccessClaims alice = new AccessClaims("7b0f6a4e-2b8e-4a55-9d3c-0f4c1f0a9a11", "alice@example.com", "Alice");

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
  void algNoneIsRefused() throws Exception {
    String header = b64("{\"alg\":\"none\",\"kid\":\"" + kid + "\"}");
    String payload = b64("{\"iss\":\"" + ISS + "\",\"aud\":\"" + AUD + "\",\"sub\":\"x\",\"use\":\"access\",\"exp\":"
        + (NOW.getEpochSecond() + 600) + "}");
    assertRefused(header + "." + payload + ".");
  }

  @Test
  void hs256SignedWithThePublicKeyIsRefused() throws Exception {
    byte[] publicBytes = keys.getPublic().getEncoded();
    byte[] padded = java.util.Arrays.copyOf(publicBytes, 64);
    String forged = Jwts.builder().header().keyId(kid).and().issuer(ISS).audience().add(AUD).and().subject("x")
        .claim("use", "access").expiration(Date.from(NOW.plusSeconds(600)))
        .signWith(Keys.hmacShaKeyFor(padded), Jwts.SIG.HS256).compact();
    assertRefused(forged);
  }

  @Test
  void aForeignKidIsRefused() throws Exception {
    KeyPair other = ed25519();
    String foreign = Ed25519Jwk.thumbprint(other.getPublic());
    AccessTokenIssuer attacker = new AccessTokenIssuer(
        other.getPrivate(), foreign, Map.of(foreign, other.getPublic()), ISS, AUD, Duration.ofMinutes(15), clock);
    assertRefused(attacker.issue(alice));
  }

  @Test
  void aTokenSignedByAnotherKeyUnderOurKidIsRefused() throws Exception {
    KeyPair other = ed25519();
    AccessTokenIssuer attacker = new AccessTokenIssuer(
        other.getPrivate(), kid, Map.of(kid, other.getPublic()), ISS, AUD, Duration.ofMinutes(15), clock);
    assertRefused(attacker.issue(alice));
  }

  @Test
  void missingExpWrongAudienceAndWrongIssuerAreRefused() throws Exception {
    assertRefused(Jwts.builder().header().keyId(kid).and().issuer(ISS).audience().add(AUD).and().subject("x")
        .claim("use", "access").signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact());
    assertRefused(Jwts.builder().header().keyId(kid).and().issuer(ISS).audience().add("other").and().subject("x")
        .claim("use", "access").expiration(Date.from(NOW.plusSeconds(60)))
        .signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact());
    assertRefused(Jwts.builder().header().keyId(kid).and().issuer("evil").audience().add(AUD).and().subject("x")
        .claim("use", "access").expiration(Date.from(NOW.plusSeconds(60)))
        .signWith(keys.getPrivate(), Jwts.SIG.EdDSA).compact());
  }

  @Test
  void tamperedPayloadIsRefused() throws Exception {
    String[] parts = issuer.issue(alice).split("\\.");
    String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
        .replace(alice.userId(), "00000000-0000-0000-0000-000000000000");
    assertRefused(parts[0] + "." + b64(payload) + "." + parts[2]);
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
  void accessAndDownloadTokensAreNotInterchangeable() throws Exception {
    byte[] key = new byte[32];
    DownloadTokens tokens = new DownloadTokens(key, ISS, AUD, Duration.ofDays(7), clock);
    String download = tokens.issue("job-1", alice.userId()).token();
    assertRefused(download);
    assertThatThrownBy(() -> tokens.verify(issuer.issue(alice))).isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void thumbprintIsStableAndJwkRoundTrips() {
    assertThat(Ed25519Jwk.thumbprint(keys.getPublic())).isEqualTo(kid).hasSize(43);
    assertThat(Ed25519Jwk.publicKey(Ed25519Jwk.x(keys.getPublic()))).isEqualTo(keys.getPublic());
  }

  private void assertRefused(String token) throws Exception {
    assertThatThrownBy(() -> verifierAt(NOW).verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).isFalse());
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
