package com.mp3converter.shared.messages;

import java.time.Instant;

/**
 * An account is gone from auth ({@code account.deleted}): the gateway deletes the user's jobs and objects and
 * refuses their still-valid access tokens, the notifier deletes its records of their emails.
 */
public record AccountDeleted(int v, String userId, Instant deletedAt) {
  public static final int VERSION = 1;
}
