package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.Problems;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private final RequestBodies bodies = new RequestBodies();

  @Test
  void readsARegistration() throws Exception {
    RegisterRequest r = bodies.register(bytes("{\"email\":\"a@example.com\",\"password\":\"pw\",\"name\":\"Ann\"}"));

    assertThat(r).isEqualTo(new RegisterRequest("a@example.com", "pw", "Ann"));
  }

  @Test
  void leavesMissingFieldsToTheValidator() throws Exception {
    assertThat(bodies.login(bytes("{\"email\":\"a@example.com\"}"))).isEqualTo(new LoginRequest("a@example.com", null));
  }

  @Test
  void unknownFieldsAreNamed() {
    Problem p = problemFor("{\"email\":\"a@example.com\",\"password\":\"pw\",\"name\":\"Ann\",\"admin\":true}");

    assertThat(p.status()).isEqualTo(400);
    assertThat(p.detail()).isEqualTo("Unknown field 'admin'.");
  }

  @Test
  void numbersAndBooleansAreNotText() {
    assertThat(problemFor("{\"email\":\"a@example.com\",\"password\":12345678,\"name\":\"Ann\"}").detail())
        .isEqualTo("Field 'password' is missing or has the wrong type.");
    assertThat(problemFor("{\"email\":true,\"password\":\"pw\",\"name\":\"Ann\"}").detail())
        .isEqualTo("Field 'email' is missing or has the wrong type.");
    assertThat(problemFor("{\"email\":\"a@example.com\",\"password\":\"pw\",\"name\":[\"Ann\"]}").detail())
        .isEqualTo("Field 'name' is missing or has the wrong type.");
  }

  @Test
  void malformedOrAbsentBodiesAreBadRequests() {
    for (String body : new String[] {"{\"email\":", "not json", "[]", "null", "", "{} {}", "\"text\""}) {
      Problem p = problemFor(body);
      assertThat(p.status()).as(body).isEqualTo(400);
      assertThat(p.type()).as(body).isEqualTo("/problems/invalid-json");
    }
  }

  @Test
  void oversizedBodiesAreRefusedUnread() {
    String big = "{\"email\":\"" + "a".repeat(RequestBodies.MAX_BYTES) + "\"}";

    assertThat(problemFor(big).status()).isEqualTo(413);
  }

  private Problem problemFor(String body) {
    try {
      bodies.register(bytes(body));
    } catch (Exception e) {
      return Problems.from(e).problem();
    }
    throw new AssertionError("accepted: " + body);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
