package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoginsTest {
  @Test
  void credentialsNoAccountCanHaveAreRefusedBeforeTheThrottle() {
    // No throttle and no hasher: a request that reached either would fail with a NullPointerException.
    Logins logins = new Logins(new RequestBodies(), null, null, null);
    String longEmail = "e".repeat(RegistrationValidator.MAX_EMAIL) + "@example.com";
    String longPassword = "p".repeat(RegistrationValidator.MAX_PASSWORD + 1);

    for (LoginRequest request : List.of(new LoginRequest(longEmail, "correct horse"),
        new LoginRequest("a@example.com", longPassword))) {
      assertThatThrownBy(() -> logins.admit(request, "198.51.100.4"))
          .isInstanceOfSatisfying(ProblemException.class, e -> {
            assertThat(e.problem().status()).isEqualTo(400);
            assertThat(e.problem().type()).isEqualTo("/problems/validation-failed");
          });
    }
  }
}
