package com.mp3converter.auth;

/** Body of {@code POST /login}. */
public record LoginRequest(String email, String password) {
  @Override
  public String toString() {
    return "LoginRequest[email=" + email + "]";
  }
}
