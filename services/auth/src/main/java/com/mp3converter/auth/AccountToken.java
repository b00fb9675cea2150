package com.mp3converter.auth;

import java.time.Instant;
import java.util.UUID;

/** A row of account_tokens: whose it is, what it is for, until when, and whether it was spent. */
public record AccountToken(UUID userId, String purpose, Instant expiresAt, Instant usedAt) {
  public static final String VERIFY = "verify";
  public static final String PASSWORD_RESET = "password-reset";
}
