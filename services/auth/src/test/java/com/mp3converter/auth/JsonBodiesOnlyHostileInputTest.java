package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Bodies auth refuses before platform-http copies them into memory: not JSON, larger than the shared cap, or of
 * unknown length. The gateway never sends such requests; a caller inside the cluster that reaches auth directly
 * might.
 */
class JsonBodiesOnlyHostileInputTest {

  @ParameterizedTest(name = "{0}, length {1}, chunked {2}")
  @CsvSource({
      "application/x-www-form-urlencoded, 20, false, 415, unsupported-media-type",
      "multipart/form-data; boundary=x, 20, false, 415, unsupported-media-type",
      "text/plain, 20, false, 415, unsupported-media-type",
      "nonsense, 20, false, 415, unsupported-media-type",
      "application/json, 16385, false, 413, payload-too-large",
      "application/json, 2000000000, false, 413, payload-too-large",
      "application/json, -1, true, 411, length-required",
  })
  void isRefusedUnread(String contentType, long length, boolean chunked, int status, String slug) throws Exception {
    // The declared length, without sending a body that long.
    MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login") {
      @Override
      public long getContentLengthLong() {
        return length;
      }
    };
    request.setContentType(contentType);
    if (chunked) {
      request.addHeader("Transfer-Encoding", "chunked");
    }
    MockHttpServletResponse response = new MockHttpServletResponse();
    MockFilterChain chain = new MockFilterChain();

    new JsonBodiesOnly().doFilter(request, response, chain);

    assertThat(chain.getRequest()).as("passed on to Camel").isNull();
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getContentType()).isEqualTo("application/problem+json");
    JsonNode problem = Json.MESSAGES.readTree(response.getContentAsByteArray());
    assertThat(problem.get("type").asText()).isEqualTo("/problems/" + slug);
  }
}
