package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The single-use tokens of verification and reset links: 256 random bits, written as 43 base64url characters in
 * the link; only their SHA-256 is stored ({@link AccountTokens}). A token is checked for its shape before anything
 * is looked up, so a huge or garbled one costs nothing and gets a precise 400.
 */
public final class AccountTokenCodec {
  static final int TOKEN_BYTES = 32;
  private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_-]{43}");

  private final SecureRandom random = new SecureRandom();

  /** A new token as it goes into the link. */
  public String newToken() {
    byte[] bytes = new byte[TOKEN_BYTES];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * The stored form of a token from a request.
   *
   * @throws ProblemException 400 when it is missing or cannot be one of ours
   */
  public byte[] hashOf(String token) {
    if (token == null || token.isEmpty()) {
      throw ProblemException.badRequest("validation-failed", "'token' is required.");
    }
    if (!SHAPE.matcher(token).matches()) {
      throw ProblemException.badRequest("invalid-token", "The link's token is not valid; use the link from the email.");
    }
    return sha256(token);
  }

  static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
