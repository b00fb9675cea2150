package com.mp3converter.shared.token;

/** The {@code use} claim keeps the two token kinds apart even if a key were ever shared by mistake. */
final class TokenUse {
  static final String CLAIM = "use";
  static final String ACCESS = "access";
  static final String DOWNLOAD = "download";

  private TokenUse() {}
}
