package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.AccountEmail;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Wrong, reused, expired, misdirected, other accounts', malformed and oversized tokens at the verify and reset
 * endpoints: each gets a precise problem (400 not ours, 410 spent or expired, 413 too big) and changes nothing.
 */
class AccountTokensHostileInputTest extends AccountTestSupport {
  private static final String WELL_FORMED_STRANGER = "A".repeat(43);

  @Test
  void aWellFormedTokenThatIsNotOursIsABadRequest() throws Exception {
    problemOf(post("/verify", Map.of("token", WELL_FORMED_STRANGER)), 400, "invalid-token");
    problemOf(post("/password-reset/confirm", Map.of("token", WELL_FORMED_STRANGER, "password", "n3w-passw0rd")),
        400, "invalid-token");
  }

  @Test
  void aReusedTokenIsGone() throws Exception {
    String email = register();
    String token = mail.awaitToken(email, AccountEmail.VERIFY);
    assertThat(post("/verify", Map.of("token", token)).statusCode()).isEqualTo(200);

    problemOf(post("/verify", Map.of("token", token)), 410, "token-used");
  }

  @Test
  void anExpiredTokenIsGoneAndVerifiesNothing() throws Exception {
    String email = register();
    String verify = mail.awaitToken(email, AccountEmail.VERIFY);
    post("/password-reset", Map.of("email", email));
    String reset = mail.awaitToken(email, AccountEmail.PASSWORD_RESET);
    jdbc.update("UPDATE account_tokens SET expires_at = now() - interval '1 second' "
        + "WHERE user_id = (SELECT id FROM users WHERE email = ?)", email);

    problemOf(post("/verify", Map.of("token", verify)), 410, "token-expired");
    problemOf(post("/password-reset/confirm", Map.of("token", reset, "password", "n3w-passw0rd")), 410,
        "token-expired");
    assertThat(verified(email)).isFalse();
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenWorksOnlyForItsOwnPurpose() throws Exception {
    String email = register();
    String verify = mail.awaitToken(email, AccountEmail.VERIFY);
    post("/password-reset", Map.of("email", email));
    String reset = mail.awaitToken(email, AccountEmail.PASSWORD_RESET);

    problemOf(post("/verify", Map.of("token", reset)), 400, "invalid-token");
    problemOf(post("/password-reset/confirm", Map.of("token", verify, "password", "n3w-passw0rd")), 400,
        "invalid-token");
    assertThat(verified(email)).isFalse();
    assertThat(login(email, PASSWORD).statusCode()).isEqualTo(200);
    // Neither was spent by the misuse.
    assertThat(post("/verify", Map.of("token", verify)).statusCode()).isEqualTo(200);
  }

  @Test
  void aTokenActsOnlyOnTheAccountItWasIssuedFor() throws Exception {
    String alice = register();
    String bob = register();
    post("/password-reset", Map.of("email", alice));
    String alicesReset = mail.awaitToken(alice, AccountEmail.PASSWORD_RESET);
    String alicesVerify = mail.awaitToken(alice, AccountEmail.VERIFY);

    assertThat(post("/verify", Map.of("token", alicesVerify)).statusCode()).isEqualTo(200);
    assertThat(post("/password-reset/confirm", Map.of("token", alicesReset, "password", "alices-n3w-pass"))
        .statusCode()).isEqualTo(200);

    assertThat(verified(alice)).isTrue();
    assertThat(verified(bob)).isFalse();
    assertThat(login(bob, PASSWORD).statusCode()).isEqualTo(200);
    assertThat(login(bob, "alices-n3w-pass").statusCode()).isEqualTo(401);
    assertThat(login(alice, "alices-n3w-pass").statusCode()).isEqualTo(200);
  }

  @Test
  void malformedBodiesAndTokensArePreciseBadRequests() throws Exception {
    problemOf(postJson("/verify", "{\"token\":"), 400, "invalid-json");
    problemOf(postJson("/verify", "{}"), 400, "validation-failed");
    problemOf(postJson("/verify", "{\"token\":42}"), 400, "invalid-json");
    problemOf(postJson("/verify", "{\"token\":\"abc\",\"admin\":true}"), 400, "invalid-json");
    problemOf(post("/verify", Map.of("token", "abc")), 400, "invalid-token");
    problemOf(post("/verify", Map.of("token", "A".repeat(42) + "=")), 400, "invalid-token");
    problemOf(post("/verify", Map.of("token", "' OR 1=1 --" + "A".repeat(32))), 400, "invalid-token");
    problemOf(post("/verify", Map.of("token", "A".repeat(4000))), 400, "invalid-token");
    problemOf(postJson("/password-reset", "{\"email\":\"not-an-address\"}"), 400, "validation-failed");
    problemOf(postJson("/password-reset", "[]"), 400, "invalid-json");
    problemOf(postJson("/password-reset/confirm", "{\"token\":\"" + WELL_FORMED_STRANGER + "\"}"), 400,
        "validation-failed");
  }

  @Test
  void hugeTokensAreRefusedBeforeAnyLookup() throws Exception {
    HttpResponse<String> overLength = post("/verify", Map.of("token", "A".repeat(5000)));
    HttpResponse<String> overSize = post("/verify", Map.of("token", "A".repeat(20_000)));

    problemOf(overLength, 400, "field-too-long");
    problemOf(overSize, 413, "payload-too-large");
  }

  @Test
  void aNewPasswordAgainstTheRulesLeavesTheTokenUsable() throws Exception {
    String email = register();
    post("/password-reset", Map.of("email", email));
    String reset = mail.awaitToken(email, AccountEmail.PASSWORD_RESET);

    problemOf(post("/password-reset/confirm", Map.of("token", reset, "password", "short")), 400,
        "validation-failed");

    assertThat(post("/password-reset/confirm", Map.of("token", reset, "password", "l0ng-enough")).statusCode())
        .isEqualTo(200);
  }

  private boolean verified(String email) {
    return jdbc.queryForObject("SELECT email_verified_at IS NOT NULL FROM users WHERE email = ?", Boolean.class,
        email);
  }
}
