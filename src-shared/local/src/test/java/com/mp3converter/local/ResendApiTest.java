package com.mp3converter.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.local.ResendApi.Email;
import com.mp3converter.local.ResendApi.Reply;
import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The outbox must answer the notifier the way Resend does, or a local run would hide the notifier's mistakes. */
class ResendApiTest {
  private static final String KEY = "re_local";
  private static final String EMAIL =
      "{\"from\":\"a@example.com\",\"to\":[\"b@example.com\"],\"subject\":\"s\",\"text\":\"t\"}";

  private final List<Email> accepted = new CopyOnWriteArrayList<>();
  private final ResendApi api = new ResendApi(KEY, accepted::add);

  @Test
  void refusesRequestsWithoutTheKeyOrAUserAgent() {
    assertThat(api.answer("POST", headers(Map.of("User-Agent", "n")), EMAIL).status()).isEqualTo(401);
    assertThat(api.answer("POST", headers(Map.of("Authorization", "Bearer other", "User-Agent", "n")), EMAIL)
        .status()).isEqualTo(403);
    Reply noAgent = api.answer("POST", headers(Map.of("Authorization", "Bearer " + KEY)), EMAIL);
    assertThat(noAgent.status()).isEqualTo(403);
    assertThat(noAgent.json()).contains("missing_user_agent");
    assertThat(api.answer("GET", valid(null), "").status()).isEqualTo(405);
    assertThat(accepted).isEmpty();
  }

  @Test
  void validatesTheEmail() {
    assertThat(api.answer("POST", valid(null), "{not json").status()).isEqualTo(422);
    assertThat(api.answer("POST", valid(null), "{\"from\":\"a@example.com\",\"to\":[],\"subject\":\"s\",\"text\":\"t\"}")
        .status()).isEqualTo(422);
    assertThat(api.answer("POST", valid(null), "{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"subject\":\"s\"}")
        .status()).as("neither html nor text").isEqualTo(422);
    Reply single = api.answer("POST", valid(null),
        "{\"from\":\"a@example.com\",\"to\":\"b@example.com\",\"subject\":\"s\",\"html\":\"<p>h</p>\"}");
    assertThat(single.status()).isEqualTo(200);
    assertThat(accepted).singleElement().satisfies(e -> {
      assertThat(e.to()).containsExactly("b@example.com");
      assertThat(e.html()).isEqualTo("<p>h</p>");
      assertThat(e.text()).isNull();
      assertThat(single.json()).isEqualTo("{\"id\":\"" + e.id() + "\"}");
    });
  }

  @Test
  void acceptsAnIdempotentRequestOnceAndRefusesAnotherBodyUnderItsKey() {
    Reply first = api.answer("POST", valid("job-1"), EMAIL);
    Reply replay = api.answer("POST", valid("job-1"), EMAIL);
    Reply otherBody = api.answer("POST", valid("job-1"), EMAIL.replace("\"t\"", "\"changed\""));
    assertThat(first.status()).isEqualTo(200);
    assertThat(replay).isEqualTo(first);
    assertThat(otherBody.status()).isEqualTo(409);
    assertThat(accepted).singleElement().satisfies(e -> assertThat(e.idempotencyKey()).isEqualTo("job-1"));
    assertThat(api.answer("POST", valid(null), EMAIL).status()).isEqualTo(200);
    assertThat(api.answer("POST", valid(null), EMAIL).status()).isEqualTo(200);
    assertThat(accepted).as("without a key every request is a new email").hasSize(3);
  }

  @Test
  void answersOverHttpOnTheEmailsPathOnly() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start("resend-api-test", 0, "/emails", api)) {
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/emails"))
          .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(EMAIL)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(sent.statusCode()).isEqualTo(200);
      assertThat(sent.headers().firstValue("Content-Type")).hasValue("application/json");
      assertThat(sent.body()).isEqualTo("{\"id\":\"" + accepted.get(0).id() + "\"}");
      HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/domains"))
          .header("Authorization", "Bearer " + KEY).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(elsewhere.statusCode()).isEqualTo(404);
    }
  }

  private static Headers valid(String idempotencyKey) {
    Headers headers = headers(Map.of("Authorization", "Bearer " + KEY, "User-Agent", "mp3-converter-notifier"));
    if (idempotencyKey != null) {
      headers.set("Idempotency-Key", idempotencyKey);
    }
    return headers;
  }

  private static Headers headers(Map<String, String> values) {
    Headers headers = new Headers();
    values.forEach(headers::set);
    return headers;
  }
}
