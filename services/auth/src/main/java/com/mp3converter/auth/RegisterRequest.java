package com.mp3converter.auth;

/** Body of {@code POST /register}; missing fields stay null and are reported by the validator. */
public record RegisterRequest(String email, String password, String name) {
  @Override
  public String toString() {
    return "RegisterRequest[email=" + email + ", name=" + name + "]";
  }
}
