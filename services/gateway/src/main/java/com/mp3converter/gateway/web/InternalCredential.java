package com.mp3converter.gateway.web;

import com.mp3converter.shared.token.BearerTokens;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.apache.camel.Header;

/**
 * The service credential of the internal API ({@code Authorization: Bearer <MP3_INTERNAL_TOKEN>}). Both sides
 * are hashed to a fixed length first, so the comparison's time depends neither on where the strings differ nor
 * on the secret's length.
 */
public final class InternalCredential {
  private final byte[] expectedDigest;

  public InternalCredential(String expectedToken) {
    if (expectedToken == null || expectedToken.isBlank()) {
      throw new IllegalArgumentException("MP3_INTERNAL_TOKEN must not be empty");
    }
    this.expectedDigest = sha256(expectedToken);
  }

  /** Passes a request that presents the service credential; 401 for any other. */
  public void check(@Header("Authorization") String authorization) {
    if (!matches(authorization)) {
      throw BearerTokens.challenge("A valid service credential is required.", false);
    }
  }

  boolean matches(String authorization) {
    String presented = BearerTokens.token(authorization);
    byte[] presentedDigest = sha256(presented == null ? "" : presented);
    return MessageDigest.isEqual(presentedDigest, expectedDigest) && presented != null;
  }

  private static byte[] sha256(String value) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
