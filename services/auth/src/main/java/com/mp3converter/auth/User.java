package com.mp3converter.auth;

import java.util.UUID;

/**
 * A row of the users table: the email is stored normalised (see {@link Emails}); the hash is Argon2id;
 * {@code emailVerified} once the user followed a verification (or reset) link.
 */
public record User(UUID id, String email, String name, String passwordHash, boolean emailVerified) {
  @Override
  public String toString() {
    return "User[id=" + id + ", email=" + email + ", name=" + name + ", emailVerified=" + emailVerified + "]";
  }
}
