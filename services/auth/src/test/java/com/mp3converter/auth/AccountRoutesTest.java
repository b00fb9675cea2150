package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountEmail;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Verification, password reset and account deletion over HTTP, following the links from the published emails. */
class AccountRoutesTest extends AccountTestSupport {

  @Test
  void aNewAddressGetsAVerificationLinkThatVerifiesItOnce() throws Exception {
    String email = register();
    AccountEmail sent = mail.awaitEmail(email, AccountEmail.VERIFY);
    assertThat(sent.link()).matches("https://mp3\\.example\\.org/verify\\?token=[A-Za-z0-9_-]{43}");
    assertThat(sent.name()).isEqualTo("Acct");
    String token = mail.awaitToken(email, AccountEmail.VERIFY);
    // Unverified until the link is followed: the access token says so.
    assertThat(claims(accessToken(email, PASSWORD)).get("email_verified").asBoolean()).isFalse();

    HttpResponse<String> verified = post("/verify", Map.of("token", token));

    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(verified.body()).get("status").asText()).isEqualTo("verified");
    assertThat(verified.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(claims(accessToken(email, PASSWORD)).get("email_verified").asBoolean()).isTrue();
    problemOf(post("/verify", Map.of("token", token)), 410, "token-used");
  }

  @Test
  void onlyTheTokensHashIsStored() throws Exception {
    String email = register();
    String token = mail.awaitToken(email, AccountEmail.VERIFY);

    String stored = jdbc.queryForObject("""
        SELECT encode(t.token_hash, 'hex') FROM account_tokens t JOIN users u ON u.id = t.user_id
        WHERE u.email = ?""", String.class, email);

    assertThat(stored).isEqualTo(HexFormat.of().formatHex(AccountTokenCodec.sha256(token)));
    assertThat(jdbc.queryForObject("SELECT count(*) FROM outbox WHERE payload LIKE ?", Integer.class,
        "%" + token + "%")).as("the relay deleted the published email").isZero();
  }

  @Test
  void aKnownAddressGetsTheSameAnswerAndAnEmailSayingSo() throws Exception {
    String email = register();
    post("/verify", Map.of("token", mail.awaitToken(email, AccountEmail.VERIFY)));

    HttpResponse<String> again = post("/register", Map.of("email", email.toUpperCase(), "password", "other-pass",
        "name", "Someone Else"));
    HttpResponse<String> fresh = post("/register", Map.of("email", "fresh-" + email, "password", PASSWORD,
        "name", "Fresh"));

    assertThat(again.statusCode()).isEqualTo(202);
    assertThat(again.body()).isEqualTo(fresh.body()).isEqualTo("{\"status\":\"verification_sent\"}");
    AccountEmail notice = mail.awaitEmail(email, AccountEmail.ALREADY_REGISTERED);
    assertThat(notice.link()).isNull();
    assertThat(notice.name()).isEqualTo("Acct");
    assertThat(jdbc.queryForObject("SELECT count(*) FROM users WHERE lower(email) = ?", Integer.class, email))
        .isEqualTo(1);
    // The account keeps its password.
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void registeringAnUnverifiedAddressAgainSendsAFreshLink() throws Exception {
    String email = register();
    String first = mail.awaitToken(email, AccountEmail.VERIFY);

    post("/register", Map.of("email", email, "password", PASSWORD, "name", "Acct"));

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> !mail.awaitToken(email, AccountEmail.VERIFY).equals(first));
    String second = mail.awaitToken(email, AccountEmail.VERIFY);
    assertThat(post("/verify", Map.of("token", second)).statusCode()).isEqualTo(200);
  }

  @Test
  void aResetLinkSetsANewPasswordAndSpendsTheOlderLinks() throws Exception {
    String email = register();
    HttpResponse<String> requested = post("/password-reset", Map.of("email", email));
    assertThat(requested.statusCode()).isEqualTo(202);
    String older = mail.awaitToken(email, AccountEmail.PASSWORD_RESET);
    post("/password-reset", Map.of("email", email));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20))
        .until(() -> !mail.awaitToken(email, AccountEmail.PASSWORD_RESET).equals(older));
    AccountEmail latest = mail.awaitEmail(email, AccountEmail.PASSWORD_RESET);
    assertThat(latest.link()).startsWith("https://mp3.example.org/reset?token=");
    String token = mail.awaitToken(email, AccountEmail.PASSWORD_RESET);

    HttpResponse<String> changed = post("/password-reset/confirm", Map.of("token", token, "password", "n3w-passw0rd"));

    assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
    assertThat(Json.MESSAGES.readTree(changed.body()).get("status").asText()).isEqualTo("password_changed");
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(401);
    // The link proved the address as well.
    assertThat(claims(accessToken(email, "n3w-passw0rd")).get("email_verified").asBoolean()).isTrue();
    problemOf(post("/password-reset/confirm", Map.of("token", token, "password", "an0ther-pass")), 410, "token-used");
    problemOf(post("/password-reset/confirm", Map.of("token", older, "password", "an0ther-pass")), 410, "token-used");
    assertThat(login(email, "n3w-passw0rd").statusCode()).isEqualTo(200);
  }

  @Test
  void aResetForAnUnknownAddressAnswersTheSameAndSendsNothing() throws Exception {
    String known = register();
    String unknown = "nobody-" + known;

    HttpResponse<String> forUnknown = post("/password-reset", Map.of("email", unknown));
    HttpResponse<String> forKnown = post("/password-reset", Map.of("email", known));

    assertThat(forUnknown.statusCode()).isEqualTo(202);
    assertThat(forUnknown.body()).isEqualTo(forKnown.body());
    mail.awaitEmail(known, AccountEmail.PASSWORD_RESET);
    assertThat(mail.messages()).noneMatch(m -> m.contains(unknown));
  }

  @Test
  void deletingAnAccountRemovesItsRowsAndPublishesTheDeletion() throws Exception {
    String email = register();
    String token = accessToken(email, PASSWORD);
    String userId = claims(token).get("sub").asText();
    post("/password-reset", Map.of("email", email));
    mail.awaitEmail(email, AccountEmail.PASSWORD_RESET);

    HttpResponse<String> deleted = send(HttpRequest.newBuilder(uri("/account"))
        .header("Authorization", "Bearer " + token).DELETE());

    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    assertThat(deleted.body()).isEmpty();
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> mail.messages().stream()
        .anyMatch(m -> m.contains("\"userId\":\"" + userId + "\"") && m.contains("deletedAt")));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      for (String table : new String[] {"users WHERE id", "account_tokens WHERE user_id", "outbox WHERE user_id"}) {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + table + " = ?::uuid", Integer.class, userId))
            .as(table).isZero();
      }
    });
    // The token is still well signed, but its account is gone.
    problemOf(send(HttpRequest.newBuilder(uri("/account")).header("Authorization", "Bearer " + token).DELETE()),
        401, "unauthorized");
    problemOf(send(HttpRequest.newBuilder(uri("/account")).DELETE()), 401, "unauthorized");
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(401);
  }
}
