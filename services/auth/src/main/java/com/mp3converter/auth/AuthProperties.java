package com.mp3converter.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code mp3.auth} tree of auth.yaml.
 *
 * @param signingKeyFile PKCS#8 PEM file with the Ed25519 private key that signs access tokens; blank means an
 *     ephemeral key (local runs only: tokens then die with the process and differ between replicas)
 * @param previousPublicKeysFile PEM file with zero or more public keys that signed tokens which may still be
 *     alive (key rotation); they are published in the JWKS but never used to sign; blank means none
 * @param loginThrottle limits on failed logins
 * @param registerThrottle limits on registrations
 * @param passwordHashing the bound on password hashes (logins and registrations) running or waiting at once
 * @param publicUrl where the web page is served (the gateway's public address): the base of emailed links
 * @param accountTokens lifetimes of the single-use links
 * @param resetThrottle limits on password reset requests
 */
@ConfigurationProperties("mp3.auth")
public record AuthProperties(
    String signingKeyFile,
    String previousPublicKeysFile,
    @DefaultValue Throttle loginThrottle,
    @DefaultValue RegisterThrottle registerThrottle,
    @DefaultValue PasswordHashing passwordHashing,
    @DefaultValue("http://127.0.0.1:8080") String publicUrl,
    @DefaultValue AccountTokenLifetimes accountTokens,
    @DefaultValue RegisterThrottle resetThrottle) {

  /**
   * @param verifyTtl how long a verification link works
   * @param resetTtl how long a password reset link works
   */
  public record AccountTokenLifetimes(
      @DefaultValue("24h") Duration verifyTtl, @DefaultValue("30m") Duration resetTtl) {}

  /**
   * @param accountLimit failed logins one client address may cause on one account within the window before it is
   *     throttled for that account (other clients are not)
   * @param clientLimit failed logins one client address may cause within the window, across accounts, before it
   *     is throttled
   * @param window length of the window, which opens with the first attempt (see {@link ThrottleLimit})
   */
  public record Throttle(
      @DefaultValue("5") int accountLimit,
      @DefaultValue("20") int clientLimit,
      @DefaultValue("15m") Duration window) {}

  /**
   * @param clientLimit registrations one client address may have hashed within the window before it is throttled
   * @param window length of the window, which opens with the first registration (see {@link ThrottleLimit})
   */
  public record RegisterThrottle(@DefaultValue("20") int clientLimit, @DefaultValue("1h") Duration window) {}

  /**
   * @param threads Argon2 hashes running at once; 0 or less means one per available processor
   * @param queue hashes waiting for a thread; one more is refused with 503. A waiting login holds no hash memory,
   *     only its request thread, and waits at most about queue x 45 ms / threads (1.4 s for 64 on two cores)
   */
  public record PasswordHashing(@DefaultValue("0") int threads, @DefaultValue("64") int queue) {}
}
