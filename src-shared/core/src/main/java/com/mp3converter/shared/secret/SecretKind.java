package com.mp3converter.shared.secret;

/**
 * What a secret setting holds, and the least a value of that kind must be (docs/security.md, "Secrets at
 * start-up"). Every kind refuses the example values committed in the repository ({@link ExampleSecrets}).
 */
public enum SecretKind {
  /**
   * A key that signs with HMAC-SHA256 (MP3_DOWNLOAD_TOKEN_KEY): base64 of at least {@value #MIN_HMAC_KEY_BYTES}
   * bytes. Blank is accepted: the service then draws an ephemeral key of its own and warns (local runs only).
   */
  HMAC_KEY("openssl rand -base64 48"),
  /** A bearer credential between services (MP3_INTERNAL_TOKEN): at least {@value #MIN_TOKEN_CHARS} characters. */
  BEARER_TOKEN("openssl rand -hex 32"),
  /**
   * The secret half of an S3 key pair (MP3_S3_SECRET_KEY): at least {@value #MIN_ACCESS_SECRET_CHARS} characters
   * (AWS's have 40, k8s/generate-secrets.sh writes 48).
   */
  ACCESS_SECRET("openssl rand -hex 24"),
  /**
   * A key a provider issues (MP3_RESEND_API_KEY): at least {@value #MIN_API_KEY_CHARS} characters, which every key
   * Resend issues has; shorter is a placeholder or a truncated copy.
   */
  API_KEY("the key Resend issued (https://resend.com/api-keys)"),
  /**
   * A password of a server (PostgreSQL, RabbitMQ) whose own authentication decides what it accepts: locally an
   * empty password (trust) or RabbitMQ's guest (loopback only) are valid, so only examples are refused.
   */
  SERVER_PASSWORD("openssl rand -hex 24"),
  /**
   * A PEM file with one unencrypted PKCS#8 Ed25519 private key (MP3_AUTH_SIGNING_KEY_FILE). Blank is accepted: the
   * service then draws an ephemeral key and warns (local runs only).
   */
  SIGNING_KEY_FILE("openssl genpkey -algorithm ed25519 -out signing-key.pem");

  public static final int MIN_HMAC_KEY_BYTES = 32;
  public static final int MIN_TOKEN_CHARS = 32;
  public static final int MIN_ACCESS_SECRET_CHARS = 32;
  public static final int MIN_API_KEY_CHARS = 20;

  private final String howToMakeOne;

  SecretKind(String howToMakeOne) {
    this.howToMakeOne = howToMakeOne;
  }

  /** A command (or a place) that gives a value this kind accepts. */
  public String howToMakeOne() {
    return howToMakeOne;
  }
}
