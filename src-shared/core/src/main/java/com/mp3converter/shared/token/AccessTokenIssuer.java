package com.mp3converter.shared.token;

import io.jsonwebtoken.Jwts;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Signs short-lived access tokens with auth's current Ed25519 key and publishes every key still trusted. */
public final class AccessTokenIssuer {
  private final PrivateKey signingKey;
  private final String kid;
  private final Map<String, PublicKey> published;
  private final String issuer;
  private final String audience;
  private final Duration ttl;
  private final Clock clock;

  /**
   * @param published every public key verifiers should accept, by kid: the current one and, during a rotation,
   *     the previous ones until their last tokens expire
   */
  public AccessTokenIssuer(
      PrivateKey signingKey,
      String kid,
      Map<String, PublicKey> published,
      String issuer,
      String audience,
      Duration ttl,
      Clock clock) {
    if (!published.containsKey(kid)) {
      throw new IllegalArgumentException("the signing key " + kid + " must be published");
    }
    this.signingKey = signingKey;
    this.kid = kid;
    this.published = new LinkedHashMap<>(published);
    this.issuer = issuer;
    this.audience = audience;
    this.ttl = ttl;
    this.clock = clock;
  }

  public String issue(AccessClaims claims) {
    Instant now = clock.instant();
    return Jwts.builder()
        .header().keyId(kid).type("JWT").and()
        .issuer(issuer)
        .audience().add(audience).and()
        .subject(claims.userId())
        .claim("email", claims.email())
        .claim("name", claims.name())
        .claim(AccessTokenVerifier.EMAIL_VERIFIED, claims.emailVerified())
        .claim(TokenUse.CLAIM, TokenUse.ACCESS)
        .id(UUID.randomUUID().toString())
        .issuedAt(Date.from(now))
        .notBefore(Date.from(now))
        .expiration(Date.from(now.plus(ttl)))
        .signWith(signingKey, Jwts.SIG.EdDSA)
        .compact();
  }

  public Duration ttl() {
    return ttl;
  }

  /** A key this issuer publishes, by kid: auth verifies the tokens it issued without fetching its own JWKS. */
  public Optional<PublicKey> publishedKey(String kid) {
    return Optional.ofNullable(published.get(kid));
  }

  /** The JWK Set document served at {@code /.well-known/jwks.json}. */
  public Map<String, Object> jwks() {
    List<Map<String, String>> keys =
        published.entrySet().stream().map(e -> Ed25519Jwk.toJwk(e.getKey(), e.getValue())).toList();
    return Map.of("keys", keys);
  }
}
