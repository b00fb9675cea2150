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
 */
@ConfigurationProperties("mp3.auth")
public record AuthProperties(
    String signingKeyFile, String previousPublicKeysFile, @DefaultValue Throttle loginThrottle) {

  /**
   * @param accountLimit failed logins one account may see within the window before it is throttled
   * @param clientLimit failed logins one client address may cause within the window before it is throttled
   * @param window length of the sliding window
   * @param maxTrackedKeys accounts plus addresses tracked before expired entries are swept out
   */
  public record Throttle(
      @DefaultValue("5") int accountLimit,
      @DefaultValue("20") int clientLimit,
      @DefaultValue("15m") Duration window,
      @DefaultValue("100000") int maxTrackedKeys) {}
}
