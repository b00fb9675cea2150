package com.mp3converter.shared.secret;

import com.mp3converter.shared.secret.SecretVerdict.Outcome;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The decision whether a value may serve as a secret of a {@link SecretKind}: refused when it is one of the known
 * example values, shorter than its kind's minimum, or not of its kind's form; accepted otherwise. Pure: no
 * settings, no files, no Spring (StartupSecrets applies it to a service's settings at start-up).
 */
public final class SecretStrength {
  private final Set<String> examples;

  public SecretStrength(Set<String> examples) {
    this.examples = Set.copyOf(examples);
  }

  /** With the example values committed in the repository ({@link ExampleSecrets}). */
  public static SecretStrength withCommittedExamples() {
    return new SecretStrength(ExampleSecrets.committed());
  }

  /**
   * @param value the setting's value; for {@link SecretKind#SIGNING_KEY_FILE} the text of the file it names (a
   *     blank file name means an ephemeral key and is not judged)
   */
  public SecretVerdict judge(SecretKind kind, String value) {
    String v = value == null ? "" : value.strip();
    if (!v.isEmpty() && examples.contains(v)) {
      return example();
    }
    return switch (kind) {
      case HMAC_KEY -> hmacKey(v);
      case BEARER_TOKEN -> atLeast(v, SecretKind.MIN_TOKEN_CHARS);
      case ACCESS_SECRET -> atLeast(v, SecretKind.MIN_ACCESS_SECRET_CHARS);
      case API_KEY -> atLeast(v, SecretKind.MIN_API_KEY_CHARS);
      case SERVER_PASSWORD -> SecretVerdict.ACCEPTED;
      case SIGNING_KEY_FILE -> signingKey(v);
    };
  }

  /**
   * Standard or URL-safe base64, as MP3_DOWNLOAD_TOKEN_KEY may be written.
   *
   * @throws IllegalArgumentException if the value is neither
   */
  public static byte[] decodeBase64Key(String value) {
    String v = value.strip();
    try {
      return Base64.getDecoder().decode(v);
    } catch (IllegalArgumentException notStandard) {
      return Base64.getUrlDecoder().decode(v);
    }
  }

  /**
   * What identifies an Ed25519 private key however its PEM is written: the base64 of the JDK's PKCS#8 encoding of
   * it. Empty when the text does not hold exactly one unencrypted PKCS#8 Ed25519 private key.
   */
  public static Optional<String> signingKeyIdentity(String pem) {
    List<byte[]> blocks = Pem.blocks(pem, "PRIVATE KEY");
    if (blocks.size() != 1) {
      return Optional.empty();
    }
    try {
      byte[] encoded = KeyFactory.getInstance("Ed25519")
          .generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0))).getEncoded();
      return Optional.of(Base64.getEncoder().encodeToString(encoded));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private SecretVerdict hmacKey(String v) {
    if (v.isEmpty()) {
      return SecretVerdict.ACCEPTED;
    }
    byte[] key;
    try {
      key = decodeBase64Key(v);
    } catch (IllegalArgumentException e) {
      return new SecretVerdict(Outcome.REFUSED_MALFORMED, "is not base64");
    }
    if (examples.contains(Base64.getEncoder().encodeToString(key))) {
      return example();
    }
    if (key.length < SecretKind.MIN_HMAC_KEY_BYTES) {
      return new SecretVerdict(Outcome.REFUSED_TOO_SHORT,
          "decodes to fewer than the " + SecretKind.MIN_HMAC_KEY_BYTES + " bytes of key it needs");
    }
    return SecretVerdict.ACCEPTED;
  }

  private SecretVerdict signingKey(String pem) {
    Optional<String> identity = signingKeyIdentity(pem);
    if (identity.isEmpty()) {
      return new SecretVerdict(Outcome.REFUSED_MALFORMED,
          "names a file that does not hold exactly one unencrypted PKCS#8 Ed25519 private key");
    }
    return examples.contains(identity.get()) ? example() : SecretVerdict.ACCEPTED;
  }

  private static SecretVerdict atLeast(String v, int minChars) {
    if (v.isEmpty()) {
      return new SecretVerdict(Outcome.REFUSED_TOO_SHORT, "is not set");
    }
    if (v.length() < minChars) {
      return new SecretVerdict(Outcome.REFUSED_TOO_SHORT, "is shorter than the " + minChars + " characters it needs");
    }
    return SecretVerdict.ACCEPTED;
  }

  private static SecretVerdict example() {
    return new SecretVerdict(Outcome.REFUSED_EXAMPLE,
        "is an example value committed in the repository, known to anyone who can read it");
  }
}
