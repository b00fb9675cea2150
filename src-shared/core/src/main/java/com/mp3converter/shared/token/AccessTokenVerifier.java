package com.mp3converter.shared.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/**
 * Verifies access tokens: EdDSA only (the {@code alg} is pinned, {@code none} and HMAC are refused), the key
 * found by {@code kid} in our JWKS, {@code iss}, {@code aud} and {@code exp} required, bounded clock skew.
 */
public final class AccessTokenVerifier {
  private static final String ALG = "EdDSA";
  static final String EMAIL_VERIFIED = "email_verified";
  /** Longer tokens are refused unread (ours are a few hundred characters). */
  public static final int MAX_TOKEN_LENGTH = 4096;

  private final PublicKeyLookup keys;
  private final String issuer;
  private final String audience;
  private final Duration clockSkew;
  private final Clock clock;

  public AccessTokenVerifier(
      PublicKeyLookup keys, String issuer, String audience, Duration clockSkew, Clock clock) {
    this.keys = keys;
    this.issuer = issuer;
    this.audience = audience;
    this.clockSkew = clockSkew;
    this.clock = clock;
  }

  /** A verified token's claims and its {@code exp}: how long a cache of verified tokens may keep it. */
  public record Verified(AccessClaims claims, Instant expiresAt) {}

  public AccessClaims verify(String token) {
    return verifyWithExpiry(token).claims();
  }

  public Verified verifyWithExpiry(String token) {
    if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
      throw new InvalidTokenException("missing or oversized token", false, null);
    }
    Claims claims;
    try {
      claims = Jwts.parser()
          .keyLocator(new LocatorAdapter<Key>() {
            @Override
            protected Key locate(ProtectedHeader header) {
              if (!ALG.equals(header.getAlgorithm())) {
                throw new InvalidTokenException("algorithm not allowed", false, null);
              }
              String kid = header.getKeyId();
              if (kid == null) {
                throw new InvalidTokenException("token has no kid", false, null);
              }
              return keys.find(kid).orElseThrow(() -> new InvalidTokenException("unknown kid", false, null));
            }
          })
          .requireIssuer(issuer)
          .requireAudience(audience)
          .require(TokenUse.CLAIM, TokenUse.ACCESS)
          .clockSkewSeconds(clockSkew.toSeconds())
          .clock(() -> Date.from(clock.instant()))
          .build()
          .parseSignedClaims(token)
          .getPayload();
    } catch (ExpiredJwtException e) {
      throw new InvalidTokenException("token expired", true, e);
    } catch (JwtException | IllegalArgumentException e) {
      throw new InvalidTokenException("token rejected: " + e.getClass().getSimpleName(), false, e);
    }
    if (claims.getExpiration() == null || claims.getSubject() == null) {
      throw new InvalidTokenException("token lacks exp or sub", false, null);
    }
    return new Verified(new AccessClaims(claims.getSubject(), claims.get("email", String.class),
        claims.get("name", String.class), Boolean.TRUE.equals(claims.get(EMAIL_VERIFIED, Boolean.class))),
        claims.getExpiration().toInstant());
  }
}
