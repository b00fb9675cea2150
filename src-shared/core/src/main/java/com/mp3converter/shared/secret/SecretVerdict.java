package com.mp3converter.shared.secret;

/**
 * What {@link SecretStrength} decided about one value; {@code reason} says why it was refused in words that never
 * contain the value itself.
 */
public record SecretVerdict(Outcome outcome, String reason) {

  public enum Outcome {
    ACCEPTED,
    /** One of the example values committed in the repository: known to everyone who can read it. */
    REFUSED_EXAMPLE,
    /** Not set, or shorter than its kind's minimum. */
    REFUSED_TOO_SHORT,
    /** Not what its kind must be at all (not base64, not an Ed25519 private key, an unreadable file). */
    REFUSED_MALFORMED
  }

  static final SecretVerdict ACCEPTED = new SecretVerdict(Outcome.ACCEPTED, "accepted");

  public boolean accepted() {
    return outcome == Outcome.ACCEPTED;
  }
}
