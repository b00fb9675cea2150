package com.mp3converter.auth;

import java.util.UUID;

/** A row of the users table: the email is stored normalised (see {@link Emails}); the hash is Argon2id. */
public record User(UUID id, String email, String name, String passwordHash) {
  @Override
  public String toString() {
    return "User[id=" + id + ", email=" + email + ", name=" + name + "]";
  }
}
