package com.mp3converter.auth;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountDeleted;
import com.mp3converter.shared.messages.AccountEmail;
import com.mp3converter.shared.messages.Topology;
import java.time.Clock;
import java.util.UUID;

/**
 * The outbox messages about accounts: the emails (with their links to the web page at the public URL, which posts
 * the token back) and the deletion. Auth sends no email itself: the notifier does, from these messages.
 */
public final class AccountMessages {
  private final String publicUrl;
  private final Clock clock;

  public AccountMessages(String publicUrl, Clock clock) {
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.clock = clock;
  }

  public OutboxMessage verify(User user, String token) {
    return email(user, AccountEmail.VERIFY, publicUrl + "/verify?token=" + token);
  }

  public OutboxMessage alreadyRegistered(User user) {
    return email(user, AccountEmail.ALREADY_REGISTERED, null);
  }

  public OutboxMessage passwordReset(User user, String token) {
    return email(user, AccountEmail.PASSWORD_RESET, publicUrl + "/reset?token=" + token);
  }

  public OutboxMessage deleted(UUID userId) {
    return new OutboxMessage(UUID.randomUUID(), userId, Topology.ACCOUNT_DELETED,
        json(new AccountDeleted(AccountDeleted.VERSION, userId.toString(), clock.instant())));
  }

  private OutboxMessage email(User user, String kind, String link) {
    UUID id = UUID.randomUUID();
    return new OutboxMessage(id, user.id(), Topology.ACCOUNT_EMAIL, json(new AccountEmail(
        AccountEmail.VERSION, id.toString(), user.id().toString(), user.email(), user.name(), kind, link)));
  }

  private static String json(Object message) {
    try {
      return Json.MESSAGES.writeValueAsString(message);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + message, e);
    }
  }
}
