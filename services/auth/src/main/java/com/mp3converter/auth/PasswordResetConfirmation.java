package com.mp3converter.auth;

/** Body of {@code POST /password-reset/confirm}: the token from the link and the new password. */
public record PasswordResetConfirmation(String token, String password) {
  @Override
  public String toString() {
    return "PasswordResetConfirmation[token=(hidden)]";
  }
}
