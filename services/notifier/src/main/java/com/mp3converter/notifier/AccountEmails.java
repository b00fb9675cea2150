package com.mp3converter.notifier;

import com.mp3converter.shared.jdbc.CamelJdbc;
import com.mp3converter.shared.messages.AccountEmail;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.ProducerTemplate;

/**
 * The account_emails table: the record of the emails about accounts (verify, already registered, password reset),
 * one per account.email message, so a redelivered message sends nothing; and the deletion of everything the
 * notifier holds of a user when their account is deleted.
 */
public class AccountEmails {
  private final CamelJdbc jdbc;

  public AccountEmails(ProducerTemplate producer) {
    this.jdbc = new CamelJdbc(producer);
  }

  /** Claims the message's email; false when an earlier delivery of it claimed it already. */
  public boolean claim(@Body AccountEmail email) {
    return jdbc.update("""
        INSERT INTO account_emails (message_id, user_id, kind, status)
        VALUES (:?id, :?userId, :?kind, 'sending')
        ON CONFLICT (message_id) DO NOTHING""",
        Map.of("id", UUID.fromString(email.messageId()), "userId", UUID.fromString(email.userId()),
            "kind", email.kind())) > 0;
  }

  /** Resend took the email (or had taken it under the same Idempotency-Key). */
  public void sent(@ExchangeProperty("messageId") String messageId, @Body ResendOutcome outcome) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("id", UUID.fromString(messageId));
    parameters.put("status", outcome.duplicate() ? "duplicate" : "sent");
    parameters.put("emailId", outcome.emailId());
    jdbc.update("""
        UPDATE account_emails SET status = :?status, email_id = :?emailId, finished_at = now()
        WHERE message_id = :?id AND status = 'sending'""", parameters);
  }

  /** Deletes the user's account emails and conversion emails (account.deleted); idempotent. */
  public void deleteUser(@ExchangeProperty("userId") String userId) {
    Map<String, Object> parameters = Map.of("userId", UUID.fromString(userId));
    jdbc.update("DELETE FROM account_emails WHERE user_id = :?userId", parameters);
    jdbc.update("DELETE FROM sent_emails WHERE user_id = :?userId", parameters);
  }
}
