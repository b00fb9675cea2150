package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;

/**
 * Bounds registrations per client address: each one costs an Argon2 hash and a row, so one address may have at
 * most {@code clientLimit} registrations hashed within a window; past that 429 with Retry-After. Requests refused
 * before hashing (invalid, throttled, or turned away by the {@link HashingPool}) do not count.
 *
 * <p>The counts live in PostgreSQL ({@link ThrottleBuckets}), like the {@link LoginThrottle}'s: shared by the
 * replicas, kept across restarts. A registration is taken in {@link #admit} before its hash, so concurrent ones
 * cannot overshoot the limit.
 */
public final class RegistrationThrottle {
  private final ThrottleLimit clients;
  private final String refusal;

  public RegistrationThrottle(ThrottleBuckets buckets, int clientLimit, Duration window) {
    this(buckets, "register-client", clientLimit, window, "Too many registrations from this address; try again later.");
  }

  /**
   * A throttle of the same kind for another request that sends an email (password reset requests), counted in
   * buckets of its own ({@code kind}).
   */
  public RegistrationThrottle(ThrottleBuckets buckets, String kind, int clientLimit, Duration window, String refusal) {
    this.clients = new ThrottleLimit(buckets, kind, clientLimit, window);
    this.refusal = refusal;
  }

  /**
   * Takes one registration for the client.
   *
   * @throws ProblemException 429 with Retry-After when the client has used up its registrations
   */
  public void admit(String client) {
    long retryAfter = clients.tryTake(client);
    if (retryAfter > 0) {
      throw ProblemException.tooManyRequests(refusal, retryAfter);
    }
  }

  /** The registration was not hashed (the hashing pool was full): it does not count. */
  public void abandoned(String client) {
    clients.giveBack(client);
  }
}
