package com.mp3converter.shared.secret;

import java.util.List;

/** A service was given secrets it must not run with; the message has one line per setting, never a value. */
public final class InsecureSecretsException extends IllegalStateException {
  private final List<String> refusals;

  public InsecureSecretsException(List<String> refusals) {
    super("refusing to start with weak secrets:\n" + String.join("\n", refusals));
    this.refusals = List.copyOf(refusals);
  }

  public List<String> refusals() {
    return refusals;
  }
}
