package com.mp3converter.auth;

/** A registration that passed validation: email normalised, name trimmed, password as given. */
public record Registration(String email, String name, String password) {
  @Override
  public String toString() {
    return "Registration[email=" + email + ", name=" + name + "]";
  }
}
