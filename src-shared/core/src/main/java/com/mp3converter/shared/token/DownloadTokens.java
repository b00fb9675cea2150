package com.mp3converter.shared.token;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import javax.crypto.Mac;
import javax.crypto.SecretKey;

/**
 * Download tokens: signed by the gateway alone (HMAC-SHA256 with a key of its own, not auth's), with their own
 * audience and {@code use}, bound to one job and one user, valid until they expire (days, so email links work).
 */
public final class DownloadTokens {
  public static final int MIN_KEY_BYTES = 32;
  private static final String MAC_ALGORITHM = "HmacSHA256";
  private static final int MAC_BYTES = 32;
  /** An HMAC-SHA256 in base64url without padding, as jjwt writes it: 43 characters. */
  private static final int SIGNATURE_CHARS = (MAC_BYTES * 8 + 5) / 6;
  private static final Base64.Encoder SIGNATURE_TEXT = Base64.getUrlEncoder().withoutPadding();

  private final SecretKey key;
  /** Built once: jjwt's parsers are immutable and thread-safe; the clock is read per parse. */
  private final JwtParser parser;
  /** One HMAC-SHA256 per thread for {@link #signatureMatches}: a {@code Mac} is not thread-safe. */
  private final ThreadLocal<Mac> macs;
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
    this.parser = Jwts.parser()
        .verifyWith(key)
        .requireIssuer(issuer)
        .requireAudience(audience)
        .require(TokenUse.CLAIM, TokenUse.DOWNLOAD)
        .clock(() -> Date.from(clock.instant()))
        .build();
    this.macs = ThreadLocal.withInitial(() -> {
      try {
        Mac mac = Mac.getInstance(MAC_ALGORITHM);
        mac.init(key);
        return mac;
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no " + MAC_ALGORITHM, e);
      }
    });
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
    // Forged, tampered and malformed tokens (nearly all rejections) end here, before any parsing: jjwt would
    // reject them too, but only after decoding and parsing the header and throwing a SignatureException with its
    // stack trace filled in, which made rejecting a flood of them far slower than it needs to be.
    if (!signedHere(token)) {
      throw new InvalidTokenException("download token rejected: not signed with this gateway's key", false, null);
    }
    Claims claims;
    try {
      claims = parser.parseSignedClaims(token).getPayload();
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

  /**
   * Whether the token is a compact JWS ({@code header.claims.signature}) whose signature is this key's
   * HMAC-SHA256 of its first two parts, the only kind {@link #issue} makes. A token that fails this is never
   * valid ({@link #verify} rejects it as not expired, "never valid"): jjwt's own check, which {@link #verify}
   * still runs on the tokens that pass (the header's algorithm and every claim), could accept only a token
   * signed with this very key in another way, which only the holder of the key could make. No parsing, no
   * exception: cheap enough to run on every request before anything else (the gateway's DownloadLinkFilter).
   */
  public boolean signedHere(String token) {
    if (token == null || token.isEmpty() || token.length() > 2048) {
      return false;
    }
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    if (second < 0 || token.indexOf('.', second + 1) >= 0) {
      return false;
    }
    // The signature's text is compared with the one encoding issue() writes, not decoded: a decoder ignores the
    // unused low bits of the last character, so decoding would let other spellings of the same signature pass
    // (a link whose last character was changed would still download).
    String signature = token.substring(second + 1);
    if (signature.length() != SIGNATURE_CHARS) {
      return false;
    }
    Mac mac = macs.get();
    byte[] expected = mac.doFinal(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
    return MessageDigest.isEqual(
        SIGNATURE_TEXT.encode(expected), signature.getBytes(StandardCharsets.US_ASCII));
  }
}
