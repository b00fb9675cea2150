package com.mp3converter.auth;

/** Body of {@code POST /verify}: the token from the link. */
public record TokenRequest(String token) {
  @Override
  public String toString() {
    return "TokenRequest[token=(hidden)]";
  }
}
