package com.mp3converter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountDeleted;
import com.mp3converter.shared.messages.AccountEmail;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The account emails from auth's outbox (notifier.accounts) through the notifier to the Resend stub, once per
 * message, and an account's deletion emptying the notifier's records of the user.
 */
@CamelSpringBootTest
@SpringBootTest(
    classes = NotifierApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.config.name=notifier",
      "management.server.port=0",
      "MP3_MAIL_FROM=mp3-converter <noreply@example.test>",
      "mp3.notifier.retry.initial-delay-ms=50",
      "mp3.notifier.retry.max-delay-ms=200"
    })
@DirtiesContext
class AccountEmailsRoutesTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ResendStub RESEND;
  private static final String DATABASE = TestDatabase.create("notifier");

  static {
    try {
      RESEND = ResendStub.start();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @DynamicPropertySource
  static void endpoints(DynamicPropertyRegistry registry) {
    registry.add("spring.datasource.url", () -> DATABASE);
    registry.add("spring.rabbitmq.virtual-host", RABBIT::name);
    registry.add("MP3_GATEWAY_INTERNAL_URL", () -> "http://127.0.0.1:9");
    registry.add("MP3_RESEND_BASE_URL", RESEND::baseUrl);
    registry.add("MP3_RESEND_API_KEY", RESEND::apiKey);
    registry.add("MP3_INTERNAL_TOKEN", TestSecrets::token);
  }

  @AfterAll
  static void stopServers() {
    RESEND.close();
  }

  @Autowired JdbcTemplate jdbc;

  @Test
  void aVerificationEmailGoesOutOnceWithItsLinkAndIsRecordedWithoutIt() throws Exception {
    String userId = UUID.randomUUID().toString();
    String link = "https://mp3.example.org/verify?token=" + "T".repeat(43);
    AccountEmail message = new AccountEmail(AccountEmail.VERSION, UUID.randomUUID().toString(), userId,
        "ada@example.com", "Ada <script>", AccountEmail.VERIFY, link);
    String json = Json.MESSAGES.writeValueAsString(message);

    RABBIT.publish(Topology.EXCHANGE, Topology.ACCOUNT_EMAIL, json);
    ResendApi.Email email = awaitEmail("account-" + message.messageId());
    RABBIT.publish(Topology.EXCHANGE, Topology.ACCOUNT_EMAIL, json);
    await().atMost(WAIT).until(() -> RABBIT.messageCount(Topology.NOTIFIER_ACCOUNTS_QUEUE) == 0);

    assertThat(email.to()).containsExactly("ada@example.com");
    assertThat(email.subject()).isEqualTo(AccountEmailComposer.VERIFY_SUBJECT);
    assertThat(email.text()).contains(link);
    assertThat(email.html()).contains("Ada &lt;script&gt;").doesNotContain("<script>");
    await().atMost(WAIT).until(() -> "sent".equals(status(message.messageId())));
    // A redelivered message sends nothing more.
    assertThat(RESEND.emails()).filteredOn(e -> ("account-" + message.messageId()).equals(e.idempotencyKey()))
        .hasSize(1);
    assertThat(jdbc.queryForObject("SELECT count(*) FROM account_emails WHERE message_id = ?::uuid",
        Integer.class, message.messageId())).isEqualTo(1);
  }

  @Test
  void theAlreadyRegisteredEmailHasNoLinkButAResetHint() throws Exception {
    AccountEmail message = new AccountEmail(AccountEmail.VERSION, UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "bo@example.com", "Bo", AccountEmail.ALREADY_REGISTERED, null);

    RABBIT.publish(Topology.EXCHANGE, Topology.ACCOUNT_EMAIL, Json.MESSAGES.writeValueAsString(message));

    ResendApi.Email email = awaitEmail("account-" + message.messageId());
    assertThat(email.subject()).isEqualTo(AccountEmailComposer.ALREADY_REGISTERED_SUBJECT);
    assertThat(email.text()).contains("already have an account", "reset").doesNotContain("http");
  }

  @Test
  void aDeletedAccountLeavesNoRecordInTheNotifier() throws Exception {
    String userId = UUID.randomUUID().toString();
    String other = UUID.randomUUID().toString();
    AccountEmail reset = new AccountEmail(AccountEmail.VERSION, UUID.randomUUID().toString(), userId,
        "cy@example.com", "Cy", AccountEmail.PASSWORD_RESET, "https://mp3.example.org/reset?token=" + "R".repeat(43));
    RABBIT.publish(Topology.EXCHANGE, Topology.ACCOUNT_EMAIL, Json.MESSAGES.writeValueAsString(reset));
    awaitEmail("account-" + reset.messageId());
    jdbc.update("INSERT INTO sent_emails (conversion_id, kind, status, claimed_at, user_id) "
        + "VALUES (?::uuid, 'completed', 'sent', now(), ?::uuid)", UUID.randomUUID().toString(), userId);
    jdbc.update("INSERT INTO sent_emails (conversion_id, kind, status, claimed_at, user_id) "
        + "VALUES (?::uuid, 'completed', 'sent', now(), ?::uuid)", UUID.randomUUID().toString(), other);

    RABBIT.publish(Topology.EXCHANGE, Topology.ACCOUNT_DELETED,
        Json.MESSAGES.writeValueAsString(new AccountDeleted(AccountDeleted.VERSION, userId, Instant.now())));

    await().atMost(WAIT).untilAsserted(() -> {
      assertThat(count("account_emails", userId)).isZero();
      assertThat(count("sent_emails", userId)).isZero();
    });
    assertThat(count("sent_emails", other)).isEqualTo(1);
  }

  private int count(String table, String userId) {
    return jdbc.queryForObject("SELECT count(*) FROM " + table + " WHERE user_id = ?::uuid", Integer.class, userId);
  }

  private String status(String messageId) {
    List<String> rows = jdbc.queryForList("SELECT status FROM account_emails WHERE message_id = ?::uuid",
        String.class, messageId);
    return rows.isEmpty() ? null : rows.get(0);
  }

  private static ResendApi.Email awaitEmail(String key) {
    return await().atMost(WAIT).until(() -> RESEND.emails().stream()
        .filter(e -> key.equals(e.idempotencyKey())).findFirst(), java.util.Optional::isPresent).get();
  }
}
