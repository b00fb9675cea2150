package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.time.Duration;

/**
 * Slows down password guessing: login attempts are counted per account and client address together (the
 * normalised email, known or not, so the throttle does not reveal which accounts exist) and per client address
 * across accounts. Once either has used up its limit within its window, logins for it are refused with 429 and
 * Retry-After. A correct password gives its attempt back, so what the limits count are failures.
 *
 * <p>The account is never locked as a whole: failures from one address throttle that address for the account,
 * so whoever knows an email cannot keep its owner out by failing on purpose; the owner's correct password from a
 * client that is not throttled goes through. An attacker with many addresses gets {@code accountLimit} guesses
 * per address and window (and at most {@code clientLimit} across accounts), each costing an Argon2 hash.
 *
 * <p>The counts live in PostgreSQL ({@link ThrottleBuckets}): every replica counts against the same limits and a
 * restart forgets nothing. An attempt is taken in {@link #admit} before its password is hashed, so parallel
 * guesses, on one replica or several, never get more than the limit verified.
 */
public final class LoginThrottle {
  private final ThrottleLimit accountClients;
  private final ThrottleLimit clients;

  public LoginThrottle(ThrottleBuckets buckets, int accountLimit, int clientLimit, Duration window) {
    this.accountClients = new ThrottleLimit(buckets, "login-account-client", accountLimit, window);
    this.clients = new ThrottleLimit(buckets, "login-client", clientLimit, window);
  }

  /**
   * Takes one attempt for this client on the account and across accounts; a wrong password keeps it (a failure).
   *
   * @throws ProblemException 429 with Retry-After when this client is throttled for the account or at all
   *     (nothing is taken then)
   */
  public void admit(String account, String client) {
    String accountClient = accountClient(account, client);
    long accountWait = accountClients.tryTake(accountClient);
    if (accountWait > 0) {
      throw tooMany(Math.max(accountWait, clients.secondsUntilFree(client)));
    }
    long clientWait = clients.tryTake(client);
    if (clientWait > 0) {
      accountClients.giveBack(accountClient);
      throw tooMany(clientWait);
    }
  }

  /**
   * The right password ends this client's run of failures on the account, and its attempt does not count across
   * accounts; its earlier failures across accounts stay.
   */
  public void succeeded(String account, String client) {
    accountClients.forget(accountClient(account, client));
    clients.giveBack(client);
  }

  /** The attempt ended without a verdict on the password (the hashing pool was full): it does not count. */
  public void abandoned(String account, String client) {
    accountClients.giveBack(accountClient(account, client));
    clients.giveBack(client);
  }

  private static ProblemException tooMany(long retryAfterSeconds) {
    return ProblemException.tooManyRequests("Too many failed logins; try again later.", retryAfterSeconds);
  }

  /** One key per pair: a client address comes from a header and never holds a line break, so none collide. */
  private static String accountClient(String account, String client) {
    return client + "\n" + account;
  }
}
