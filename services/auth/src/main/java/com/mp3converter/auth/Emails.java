package com.mp3converter.auth;

import java.util.Locale;

/** One spelling per address: users are stored and looked up by the trimmed, lower-cased email. */
public final class Emails {
  private Emails() {}

  public static String normalize(String email) {
    return email.strip().toLowerCase(Locale.ROOT);
  }
}
