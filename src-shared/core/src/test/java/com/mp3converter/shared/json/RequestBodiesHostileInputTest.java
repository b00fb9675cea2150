package com.mp3converter.shared.json;

import static com.mp3converter.shared.json.RequestBodiesTest.catching;
import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.Problems;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile request bodies against the shared reader that auth and the gateway both use: each one ends as exactly
 * one status and problem type, and no answer carries anything of Jackson's internals.
 */
class RequestBodiesHostileInputTest {
  /** The gateway's POST /conversions body, the strictest shape the API binds. */
  record Conversion(String url, String bitrate) {}

  private final RequestBodies bodies = new RequestBodies();

  static Stream<Arguments> bodies() {
    String url = "\"url\":\"https://a.example/x.wav\"";
    return Stream.of(
        // malformed JSON
        hostile("unclosed object", "{", 400, "invalid-json"),
        hostile("missing value", "{\"url\": }", 400, "invalid-json"),
        hostile("bare word", "nul", 400, "invalid-json"),
        hostile("single quotes", "{'url':'https://a.example/x.wav'}", 400, "invalid-json"),
        hostile("trailing comma", "{" + url + ",}", 400, "invalid-json"),
        hostile("trailing content", "{" + url + "} trailing", 400, "invalid-json"),
        hostile("two documents", "{" + url + "} {}", 400, "invalid-json"),
        hostile("comment", "/* hi */ {" + url + "}", 400, "invalid-json"),
        hostile("NaN", "{\"url\":NaN}", 400, "invalid-json"),
        hostile("NUL byte", "\u0000{" + url + "}", 400, "invalid-json"),
        hostile("unescaped control character", "{\"url\":\"a\u0001b\"}", 400, "invalid-json"),
        hostile("empty body", "", 400, "invalid-json"),
        hostile("blank body", "  \n ", 400, "invalid-json"),
        hostile("JSON null", "null", 400, "invalid-json"),
        hostile("array instead of object", "[{" + url + "}]", 400, "invalid-json"),
        hostile("string instead of object", "\"https://a.example/x.wav\"", 400, "invalid-json"),
        hostile("number instead of object", "42", 400, "invalid-json"),
        // wrong types
        hostile("url as number", "{\"url\":12345}", 400, "invalid-json"),
        hostile("url as boolean", "{\"url\":true}", 400, "invalid-json"),
        hostile("url as object", "{\"url\":{\"href\":\"https://a.example/\"}}", 400, "invalid-json"),
        hostile("url as array", "{\"url\":[\"https://a.example/x.wav\"]}", 400, "invalid-json"),
        hostile("url as float", "{\"url\":1.5e3}", 400, "invalid-json"),
        hostile("bitrate as number", "{" + url + ",\"bitrate\":192}", 400, "invalid-json"),
        // unknown fields: nothing may ride along (mass assignment)
        hostile("unknown admin flag", "{" + url + ",\"admin\":true}", 400, "invalid-json"),
        hostile("someone else's user id", "{" + url + ",\"userId\":\"00000000-0000-0000-0000-000000000000\"}",
            400, "invalid-json"),
        hostile("prototype pollution key", "{" + url + ",\"__proto__\":{\"admin\":true}}", 400, "invalid-json"),
        hostile("field name in another case", "{\"URL\":\"https://a.example/x.wav\"}", 400, "invalid-json"),
        hostile("duplicate key", "{" + url + ",\"url\":\"http://127.0.0.1/\"}", 400, "invalid-json"),
        // depth
        hostile("10,000 nested arrays", "[".repeat(10_000), 400, "json-too-deep"),
        hostile("nested objects in a known field", "{\"url\":" + "{\"a\":".repeat(20) + "1" + "}".repeat(21),
            400, "json-too-deep"),
        hostile("deep nesting after a valid field", "{" + url + ",\"x\":" + "[".repeat(50) + "]".repeat(50) + "}",
            400, "json-too-deep"),
        // lengths
        hostile("10 KB URL", "{\"url\":\"https://a.example/" + "a".repeat(10_000) + "\"}", 400, "field-too-long"),
        hostile("5,000-character field name", "{\"" + "k".repeat(5_000) + "\":1}", 400, "field-too-long"),
        hostile("1,000-digit number", "{\"url\":" + "9".repeat(1_000) + "}", 400, "field-too-long"),
        // size
        hostile("body one byte over the cap",
            "{\"url\":\"" + "a".repeat(RequestBodies.DEFAULT_MAX_BYTES - 9) + "\"}", 413, "payload-too-large"));
  }

  private static Arguments hostile(String name, String body, int status, String slug) {
    return Arguments.of(name, body.getBytes(StandardCharsets.UTF_8), status, "/problems/" + slug);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void isRefusedWithExactlyOneProblem(String name, byte[] body, int status, String type) {
    Problem problem = Problems.from(catching(() -> bodies.parse(body, Conversion.class))).problem();

    assertThat(problem.status()).as(name).isEqualTo(status);
    assertThat(problem.type()).as(name).isEqualTo(type);
    assertThat(problem.detail()).as(name).isNotBlank().hasSizeLessThan(300)
        .doesNotContain("com.fasterxml", "Exception", "\tat ", "java.", "StreamReadConstraints");
  }

  @Test
  void noBodyAtAllIsMalformedJson() {
    Problem problem = Problems.from(catching(() -> bodies.parse(null, Conversion.class))).problem();

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.type()).isEqualTo("/problems/invalid-json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidUtf8")
  void invalidUtf8IsMalformedJson(String name, byte[] body) {
    Problem problem = Problems.from(catching(() -> bodies.parse(body, Conversion.class))).problem();

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.type()).isEqualTo("/problems/invalid-json");
  }

  static Stream<Arguments> invalidUtf8() {
    return Stream.of(
        Arguments.of("lone continuation byte", new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0x80, '"', '}'}),
        Arguments.of("byte 0xFF", new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0xff, '"', '}'}),
        Arguments.of("truncated sequence", new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0xe2, (byte) 0x82, '"', '}'}));
  }
}
