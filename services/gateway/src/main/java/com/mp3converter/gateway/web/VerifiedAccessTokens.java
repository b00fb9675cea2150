package com.mp3converter.gateway.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.AccessTokenVerifier.Verified;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Access tokens this gateway has already verified. A client sends the same token with every request until it
 * expires, and the Ed25519 check of the JDK 17 is the largest CPU cost of a request (docs/performance.md, "Intake:
 * where the time goes"): a token seen before costs a SHA-256 and a lookup instead.
 *
 * <p>Only tokens that passed the full check are kept, so a flood of forged tokens cannot fill the cache or skip the
 * check. A kept token is answered only before its {@code exp} (without the clock skew the full check allows, so the
 * cache never accepts what the verifier would refuse), and at most {@code maxAge} after it was checked: the JWKS
 * cache's own age (mp3.auth.jwks-max-age), so a key auth withdrew stops counting here no later than it would in
 * the JWKS cache. Tokens are kept by their SHA-256, so no bearer token sits in the heap past its request.
 */
public final class VerifiedAccessTokens {
  /** Far more than the users active within {@code maxAge} on one gateway; a few hundred bytes each. */
  static final int MAX_ENTRIES = 10_000;

  private record Entry(AccessClaims claims, Instant until) {}

  private final AccessTokenVerifier verifier;
  private final Clock clock;
  private final Duration maxAge;
  private final Cache<ByteBuffer, Entry> verified;

  public VerifiedAccessTokens(AccessTokenVerifier verifier, Duration maxAge, Clock clock) {
    this.verifier = verifier;
    this.clock = clock;
    this.maxAge = maxAge;
    this.verified = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).expireAfterWrite(maxAge).build();
  }

  /**
   * The token's claims, verified now or earlier.
   *
   * @throws com.mp3converter.shared.token.InvalidTokenException as {@link AccessTokenVerifier#verify} does
   */
  public AccessClaims verify(String token) {
    if (token == null || token.length() > AccessTokenVerifier.MAX_TOKEN_LENGTH) {
      return verifier.verify(token);
    }
    ByteBuffer key = sha256(token);
    Instant now = clock.instant();
    Entry entry = verified.getIfPresent(key);
    if (entry != null && now.isBefore(entry.until())) {
      return entry.claims();
    }
    Verified checked = verifier.verifyWithExpiry(token);
    Instant until = checked.expiresAt().isBefore(now.plus(maxAge)) ? checked.expiresAt() : now.plus(maxAge);
    verified.put(key, new Entry(checked.claims(), until));
    return checked.claims();
  }

  private static ByteBuffer sha256(String token) {
    try {
      return ByteBuffer.wrap(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
