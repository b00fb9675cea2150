package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationValidatorTest {
  private final RegistrationValidator validator = new RegistrationValidator();

  @Test
  void normalisesTheEmailAndTrimsTheName() {
    Registration r = validator.validate(new RegisterRequest("  Ann.Lee+mp3@Example.COM ", "s3cret-pass", "  Ann Lee "));

    assertThat(r.email()).isEqualTo("ann.lee+mp3@example.com");
    assertThat(r.name()).isEqualTo("Ann Lee");
    assertThat(r.password()).isEqualTo("s3cret-pass");
  }

  @Test
  void keepsThePasswordExactlyAsGiven() {
    assertThat(validator.validate(new RegisterRequest("a@example.com", "  spaced  ", "A")).password())
        .isEqualTo("  spaced  ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"plain", "@example.com", "ann@", "ann@example", "ann@@example.com", "ann lee@example.com",
      "ann@exa mple.com", "ann@-example.com", "ann@example..com", "ann@example.com.", "ann@ex_ample.com",
      "änn@example.com", "ann@example.com\nBcc: x@example.com"})
  void refusesEmailsThatAreNotAddresses(String email) {
    assertInvalid(new RegisterRequest(email, "s3cret-pass", "Ann"), "'email' is not a valid email address");
  }

  @Test
  void refusesOverlongEmails() {
    String local = "a".repeat(65);
    assertInvalid(new RegisterRequest(local + "@example.com", "s3cret-pass", "Ann"), "'email' is not a valid");
    String domain = ("a".repeat(60) + ".").repeat(5) + "com";
    assertInvalid(new RegisterRequest("ann@" + domain, "s3cret-pass", "Ann"), "'email' is not a valid");
  }

  @Test
  void acceptsCommonAddresses() {
    for (String email : new String[] {"a@b.co", "first.last@sub.example.org", "o'neil@example.ie", "x_y-z@a-b.example"}) {
      assertThat(validator.validate(new RegisterRequest(email, "s3cret-pass", "Ann")).email()).isEqualTo(email);
    }
  }

  @Test
  void passwordsHaveEightToOneHundredTwentyEightCharacters() {
    assertInvalid(new RegisterRequest("a@example.com", "1234567", "Ann"), "'password' must have 8 to 128");
    assertInvalid(new RegisterRequest("a@example.com", "x".repeat(129), "Ann"), "'password' must have 8 to 128");
    assertThat(validator.validate(new RegisterRequest("a@example.com", "12345678", "Ann"))).isNotNull();
    assertThat(validator.validate(new RegisterRequest("a@example.com", "x".repeat(128), "Ann"))).isNotNull();
  }

  @Test
  void countsCharactersNotUtf16Units() {
    // Eight emoji are sixteen UTF-16 units but eight characters.
    assertThat(validator.validate(new RegisterRequest("a@example.com", "😀".repeat(8), "Ann"))).isNotNull();
    assertInvalid(new RegisterRequest("a@example.com", "😀".repeat(7), "Ann"), "'password' must have");
  }

  @Test
  void namesAreRequiredShortAndPrintable() {
    assertInvalid(new RegisterRequest("a@example.com", "s3cret-pass", "   "), "'name' is required");
    assertInvalid(new RegisterRequest("a@example.com", "s3cret-pass", "n".repeat(101)), "'name' must have at most 100");
    assertInvalid(new RegisterRequest("a@example.com", "s3cret-pass", "Ann\r\nBcc: x"), "control characters");
    assertThat(validator.validate(new RegisterRequest("a@example.com", "s3cret-pass", "n".repeat(100)))).isNotNull();
    assertThat(validator.validate(new RegisterRequest("a@example.com", "s3cret-pass", "Zoë Ångström"))).isNotNull();
  }

  @Test
  void namesEveryMissingFieldInOneAnswer() {
    assertThatThrownBy(() -> validator.validate(new RegisterRequest(null, null, null)))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(400);
          assertThat(e.problem().type()).isEqualTo("/problems/validation-failed");
          assertThat(e.problem().detail())
              .contains("'email' is required", "'password' is required", "'name' is required");
        });
  }

  private void assertInvalid(RegisterRequest request, String expectedDetail) {
    assertThatThrownBy(() -> validator.validate(request))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.problem().status()).isEqualTo(400);
          assertThat(e.problem().detail()).contains(expectedDetail);
        });
  }
}
