package com.mp3converter.shared.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.crypto.SecretKey;

/**
 * Download tokens: signed by the gateway alone (HMAC-SHA256 with a key of its own, not auth's), with their own
 * audience and {@code use}, bound to one job and one user, valid until they expire (days, so email links work).
 */
public final class DownloadTokens {
  public static final int MIN_KEY_BYTES = 32;

  private final SecretKey key;
  private final String issuer;
  private final String audience;
  private final Duration ttl;
  private final Clock clock;

  public record Issued(String token, Instant expiresAt) {}

  public record Grant(String jobId, String userId) {}

  public DownloadTokens(byte[] keyBytes, String issuer, String audience, Duration ttl, Clock clock) {
    if (keyBytes.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException("a download-token key needs at least " + MIN_KEY_BYTES + " bytes");
    }
    this.key = Keys.hmacShaKeyFor(keyBytes);
    this.issuer = issuer;
    this.audience = audience;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** A token that expires after the configured lifetime. */
  public Issued issue(String jobId, String userId) {
    return issue(jobId, userId, clock.instant().plus(ttl));
  }

  /**
   * A token that expires at {@code expiresAt} (cut to whole seconds, as JWTs carry them), e.g. when the file it
   * names is deleted.
   */
  public Issued issue(String jobId, String userId, Instant expiresAt) {
    Instant now = clock.instant();
    Instant exp = expiresAt.truncatedTo(ChronoUnit.SECONDS);
    String token = Jwts.builder()
        .issuer(issuer)
        .audience().add(audience).and()
        .subject(userId)
        .claim("job", jobId)
        .claim(TokenUse.CLAIM, TokenUse.DOWNLOAD)
        .issuedAt(Date.from(now))
        .expiration(Date.from(exp))
        .signWith(key, Jwts.SIG.HS256)
        .compact();
    return new Issued(token, exp);
  }

  public Grant verify(String token) {
    if (token == null || token.isBlank() || token.length() > 2048) {
      throw new InvalidTokenException("missing or oversized token", false, null);
    }
    Claims claims;
    try {
      claims = Jwts.parser()
          .verifyWith(key)
          .requireIssuer(issuer)
          .requireAudience(audience)
          .require(TokenUse.CLAIM, TokenUse.DOWNLOAD)
          .clock(() -> Date.from(clock.instant()))
          .build()
          .parseSignedClaims(token)
          .getPayload();
    } catch (ExpiredJwtException e) {
      throw new InvalidTokenException("download token expired", true, e);
    } catch (JwtException | IllegalArgumentException e) {
      throw new InvalidTokenException("download token rejected: " + e.getClass().getSimpleName(), false, e);
    }
    String jobId = claims.get("job", String.class);
    if (claims.getExpiration() == null || jobId == null || claims.getSubject() == null) {
      throw new InvalidTokenException("download token lacks exp, job or sub", false, null);
    }
    return new Grant(jobId, claims.getSubject());
  }
}
