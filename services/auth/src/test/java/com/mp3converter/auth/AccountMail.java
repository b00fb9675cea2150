package com.mp3converter.auth;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountEmail;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.RabbitVirtualHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * What auth's outbox relay published to the notifier's queue (notifier.accounts) in a test's virtual host: the
 * account emails it would send, so a test can follow a link as a user would.
 */
final class AccountMail {
  private final RabbitVirtualHost rabbit;
  private final List<String> seen = new ArrayList<>();

  AccountMail(RabbitVirtualHost rabbit) {
    this.rabbit = rabbit;
  }

  /** The latest email of this kind to the address, waiting for the relay to publish it. */
  synchronized AccountEmail awaitEmail(String address, String kind) {
    return Awaitility.await().alias(kind + " email to " + address).atMost(Duration.ofSeconds(20))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> latest(address, kind), Optional::isPresent).get();
  }

  /** The token of the latest link of this kind to the address. */
  String awaitToken(String address, String kind) {
    String link = awaitEmail(address, kind).link();
    return link.substring(link.indexOf("token=") + "token=".length());
  }

  /** Every message published so far (account emails and deletions), as JSON. */
  synchronized List<String> messages() {
    drain();
    return List.copyOf(seen);
  }

  private Optional<AccountEmail> latest(String address, String kind) {
    drain();
    AccountEmail found = null;
    for (String json : seen) {
      AccountEmail email = read(json);
      if (address.equalsIgnoreCase(email.email()) && kind.equals(email.kind())) {
        found = email;
      }
    }
    return Optional.ofNullable(found);
  }

  private void drain() {
    for (Optional<String> next = rabbit.get(Topology.NOTIFIER_ACCOUNTS_QUEUE); next.isPresent();
        next = rabbit.get(Topology.NOTIFIER_ACCOUNTS_QUEUE)) {
      seen.add(next.get());
    }
  }

  private static AccountEmail read(String json) {
    try {
      return Json.MESSAGES.readValue(json, AccountEmail.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
