package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;

/**
 * Bounds registrations per client address: each one costs an Argon2 hash and a row, so one address may have at
 * most {@code clientLimit} registrations hashed within a sliding window; past that 429 with Retry-After until
 * its oldest leaves the window. Requests refused before hashing (invalid, throttled, or turned away by the
 * {@link HashingPool}) do not count.
 *
 * <p>In memory and per replica, like the {@link LoginThrottle}. Check and record are separate steps (the record
 * follows the hash), so concurrent registrations may overshoot the limit by those in flight, which the hashing
 * pool bounds.
 */
public final class RegistrationThrottle {
  private final SlidingWindow clients;

  public RegistrationThrottle(int clientLimit, Duration window, int maxTrackedKeys, Clock clock) {
    this.clients = new SlidingWindow(clientLimit, window, maxTrackedKeys, clock);
  }

  /** Refuses the registration with a 429 (and Retry-After) when the client has used up its registrations. */
  public void check(String client) {
    long retryAfter = clients.retryAfterSeconds(client);
    if (retryAfter > 0) {
      throw ProblemException.tooManyRequests("Too many registrations from this address; try again later.", retryAfter);
    }
  }

  public void record(String client) {
    clients.record(client);
  }
}
