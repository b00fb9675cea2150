package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Clock;
import java.time.Duration;

/**
 * Slows down password guessing: failed logins are counted in a sliding window per account and client address
 * together (the normalised email, known or not, so the throttle does not reveal which accounts exist) and per
 * client address across accounts. Once either has used up its limit, logins for it are refused with 429 until
 * its oldest failure leaves the window.
 *
 * <p>The account is never locked as a whole: failures from one address throttle that address for the account,
 * so whoever knows an email cannot keep its owner out by failing on purpose; the owner's correct password from a
 * client that is not throttled goes through. An attacker with many addresses gets {@code accountLimit} guesses
 * per address and window (and at most {@code clientLimit} across accounts), each costing an Argon2 hash.
 *
 * <p>In memory and per replica: a restart or another replica starts afresh, which is acceptable for a brake
 * whose limits are small. Check and record are separate steps, so concurrent attempts may overshoot a limit by
 * the number of requests in flight.
 */
public final class LoginThrottle {
  private final SlidingWindow accountClients;
  private final SlidingWindow clients;

  public LoginThrottle(int accountLimit, int clientLimit, Duration window, int maxTrackedKeys, Clock clock) {
    this.accountClients = new SlidingWindow(accountLimit, window, maxTrackedKeys, clock);
    this.clients = new SlidingWindow(clientLimit, window, maxTrackedKeys, clock);
  }

  /** Refuses the attempt with a 429 (and Retry-After) when this client is throttled for the account or at all. */
  public void check(String account, String client) {
    long retryAfter =
        Math.max(accountClients.retryAfterSeconds(accountClient(account, client)), clients.retryAfterSeconds(client));
    if (retryAfter > 0) {
      throw ProblemException.tooManyRequests("Too many failed logins; try again later.", retryAfter);
    }
  }

  public void recordFailure(String account, String client) {
    accountClients.record(accountClient(account, client));
    clients.record(client);
  }

  /** The right password ends this client's run of failures on the account; its record across accounts stays. */
  public void recordSuccess(String account, String client) {
    accountClients.forget(accountClient(account, client));
  }

  /** One key per pair: a client address comes from a header and never holds a line break, so none collide. */
  private static String accountClient(String account, String client) {
    return client + "\n" + account;
  }
}
