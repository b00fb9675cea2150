package com.mp3converter.shared.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.Problems;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.junit.jupiter.api.Test;

/** What the shared reader accepts, and where exactly each cap lies; the refusals are in RequestBodiesHostileInputTest. */
class RequestBodiesTest {
  record Request(String url, String bitrate) {}

  private final RequestBodies bodies = new RequestBodies();

  @Test
  void bindsAFlatObjectAndLeavesMissingFieldsNull() throws Exception {
    assertThat(bodies.parse(utf8("{\"url\":\"https://a.example/x.wav\",\"bitrate\":\"v0\"}"), Request.class))
        .isEqualTo(new Request("https://a.example/x.wav", "v0"));
    assertThat(bodies.parse(utf8(" {\"url\":\"u\"}\n"), Request.class)).isEqualTo(new Request("u", null));
  }

  @Test
  void readsTheRawBodyOfAnExchangeUpToTheCap() {
    RequestBodies small = new RequestBodies(16);
    assertThat(small.read(exchangeWithBody(null))).isEmpty();
    assertThat(small.read(exchangeWithBody(utf8("{\"url\":\"x\"}")))).hasSize(11);
    assertThat(small.read(exchangeWithBody(new byte[16]))).hasSize(16);
    assertThat(Problems.from(catching(() -> small.read(exchangeWithBody(new byte[17])))).problem().status())
        .isEqualTo(413);
  }

  /** An exchange whose message body is {@code body} (core has Camel's API only, no engine to make a real one). */
  static Exchange exchangeWithBody(byte[] body) {
    Message message = (Message) Proxy.newProxyInstance(Message.class.getClassLoader(), new Class<?>[] {Message.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getBody") && args != null && args.length == 1) {
            return body;
          }
          throw new UnsupportedOperationException(method.getName());
        });
    return (Exchange) Proxy.newProxyInstance(Exchange.class.getClassLoader(), new Class<?>[] {Exchange.class},
        (proxy, method, args) -> {
          if (method.getName().equals("getIn") && args == null) {
            return message;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  @Test
  void eachCapAdmitsItsLimitExactly() throws Exception {
    String deepest = "[".repeat(RequestBodies.MAX_DEPTH) + "]".repeat(RequestBodies.MAX_DEPTH);
    assertThat(bodies.parse(utf8(deepest), JsonNode.class).isArray()).isTrue();
    assertThat(problem(deepest + "x").type()).isEqualTo("/problems/invalid-json");
    assertThat(problem("[" + deepest + "]").type()).isEqualTo("/problems/json-too-deep");

    String longest = "a".repeat(RequestBodies.MAX_STRING_LENGTH);
    assertThat(bodies.parse(utf8("{\"url\":\"" + longest + "\"}"), Request.class).url()).hasSize(longest.length());
    assertThat(problem("{\"url\":\"" + longest + "a\"}").type()).isEqualTo("/problems/field-too-long");

    String name = "n".repeat(RequestBodies.MAX_NAME_LENGTH);
    assertThat(bodies.parse(utf8("{\"" + name + "\":1}"), JsonNode.class).has(name)).isTrue();
    assertThat(problem("{\"" + name + "n\":1}").type()).isEqualTo("/problems/field-too-long");

    String digits = "9".repeat(RequestBodies.MAX_NUMBER_LENGTH);
    assertThat(bodies.parse(utf8("{\"n\":" + digits + "}"), JsonNode.class).get("n").isNumber()).isTrue();
    assertThat(problem("{\"n\":" + digits + "9}").type()).isEqualTo("/problems/field-too-long");
  }

  @Test
  void theSizeCapCountsBytesNotCharacters() throws Exception {
    RequestBodies small = new RequestBodies(16);
    // 12 characters, 16 bytes in UTF-8; then 13 characters, 18 bytes.
    assertThat(small.parse(utf8("{\"u\":\"\u00e9\u00e9\u00e9\u00e9\"}"), JsonNode.class).get("u").asText()).hasSize(4);
    assertThat(Problems.from(catching(() -> small.parse(utf8("{\"u\":\"\u00e9\u00e9\u00e9\u00e9\u00e9\"}"), JsonNode.class)))
        .problem().status()).isEqualTo(413);
  }

  private Problem problem(String body) {
    return Problems.from(catching(() -> bodies.parse(utf8(body), JsonNode.class))).problem();
  }

  static Throwable catching(ThrowingRunnable r) {
    try {
      r.run();
    } catch (Throwable t) {
      return t;
    }
    throw new AssertionError("expected a failure");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
