package com.mp3converter.auth;

import java.security.SecureRandom;
import java.util.Base64;
import org.springframework.security.crypto.argon2.Argon2PasswordEncoder;

/**
 * Argon2id at the OWASP minimum (19 MiB memory, 2 iterations, 1 lane, 16-byte salt, 32-byte hash). The
 * encoded form carries its own parameters, so stored hashes stay verifiable if these ever change. Every hash and
 * check runs on the {@link HashingPool}, which refuses (503) what it cannot take.
 */
public final class PasswordHasher {
  static final int SALT_BYTES = 16;
  static final int HASH_BYTES = 32;
  static final int PARALLELISM = 1;
  static final int MEMORY_KIB = 19456;
  static final int ITERATIONS = 2;

  private final Argon2PasswordEncoder encoder =
      new Argon2PasswordEncoder(SALT_BYTES, HASH_BYTES, PARALLELISM, MEMORY_KIB, ITERATIONS);

  private final HashingPool pool;

  /** Verified against when the user does not exist, so that case costs the same as a wrong password. */
  private final String dummyHash;

  public PasswordHasher(HashingPool pool) {
    this.pool = pool;
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.dummyHash = encoder.encode(Base64.getEncoder().encodeToString(random));
  }

  public String hash(String password) {
    return pool.run(() -> encoder.encode(password));
  }

  /**
   * @param storedHash the user's hash, or null when there is no such user: a dummy hash is then checked so the
   *     answer takes as long as for a real user, and the result is false whatever the password
   */
  public boolean verify(String password, String storedHash) {
    if (storedHash == null) {
      pool.run(() -> encoder.matches(password, dummyHash));
      return false;
    }
    return pool.run(() -> encoder.matches(password, storedHash));
  }
}
