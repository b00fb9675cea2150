package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.local.ResendApi;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.ResendStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The public API of a running system called over HTTP the way a user's client calls it, with the steps most
 * journeys share: register and verify through the emailed link, log in, submit, follow the job, read its emails.
 * Every call goes to the gateway; the emails are read from the system's Resend stub.
 */
public final class ApiClient {
  public static final String PASSWORD = "correct horse battery";
  private static final List<String> FINAL_STATES = List.of("completed", "failed", "cancelled");

  private final String gatewayUrl;
  private final ResendStub resend;
  private final HttpClient http = HttpClient.newHttpClient();

  ApiClient(String gatewayUrl, ResendStub resend) {
    this.gatewayUrl = gatewayUrl;
    this.resend = resend;
  }

  /** A request to the gateway, with the bearer token when there is one. */
  public HttpRequest.Builder request(String path, String token) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gatewayUrl + path))
        .timeout(Duration.ofSeconds(30));
    return token == null ? request : request.header("Authorization", "Bearer " + token);
  }

  /** Sends a request with a JSON body, or none when {@code json} is null. */
  public HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder request = request(path, token);
    if (json != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return send(request.build());
  }

  public HttpResponse<String> send(HttpRequest request) throws Exception {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /**
   * Registers a new account (202), verifies its address with the token of the verification email, as a user
   * following the link would, logs in and returns the access token.
   */
  public String registerVerifyAndLogin(String email) throws Exception {
    return registerVerifyAndLogin(email, "Tester");
  }

  /** {@link #registerVerifyAndLogin(String)} with the name the account is registered under. */
  public String registerVerifyAndLogin(String email, String name) throws Exception {
    HttpResponse<String> registered = send("POST", "/auth/register", null,
        json(Map.of("email", email, "password", PASSWORD, "name", name)));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
    HttpResponse<String> verified = send("POST", "/auth/verify", null,
        json(Map.of("token", EmailLinks.awaitVerifyToken(resend, email))));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    HttpResponse<String> login = send("POST", "/auth/login", null, json(Map.of("email", email, "password", PASSWORD)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    JsonNode body = Json.MESSAGES.readTree(login.body());
    assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
    return body.get("access_token").asText();
  }

  /** Submits the URL for conversion (202) and returns the job's id. */
  public String accept(String token, String url) throws Exception {
    HttpResponse<String> response = send("POST", "/conversions", token, json(Map.of("url", url)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  /** The job's status document (200). */
  public JsonNode status(String token, String id) throws Exception {
    HttpResponse<String> status = send("GET", "/conversions/" + id, token, null);
    assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(status.body());
  }

  /** Polls the job until it is in one of the states. */
  public JsonNode awaitStatus(String token, String id, String... states) {
    List<String> wanted = List.of(states);
    return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
        .until(() -> status(token, id), job -> wanted.contains(job.path("status").asText()));
  }

  /** Polls the job until it has ended: completed, failed or cancelled. */
  public JsonNode awaitFinished(String token, String id) {
    return awaitStatus(token, id, FINAL_STATES.toArray(String[]::new));
  }

  /** Opens {@code GET /conversions/{id}/events}; the body is read line by line as it comes. */
  public HttpResponse<Stream<String>> events(String token, String id) throws Exception {
    return http.send(request("/conversions/" + id + "/events", token).header("Accept", "text/event-stream")
        .GET().build(), HttpResponse.BodyHandlers.ofLines());
  }

  /** The emails about conversions sent to an address (its account's emails left out). */
  public List<ResendApi.Email> conversionEmailsTo(String address) {
    return resend.emails().stream().filter(e -> e.to().contains(address)).filter(EmailLinks::aboutConversion)
        .toList();
  }

  /** A problem body (RFC 9457) with that status, and nothing of the implementation in it. */
  public static void assertProblem(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = Json.MESSAGES.readTree(response.body());
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.has("title")).isTrue();
    assertThat(response.body()).doesNotContain("Exception", "at com.", "SELECT");
  }

  /** The user id an access token is for (its {@code sub} claim). */
  public static String subject(String accessToken) throws Exception {
    return Json.MESSAGES.readTree(Base64.getUrlDecoder().decode(accessToken.split("\\.")[1])).get("sub").asText();
  }

  /** An address no other test uses. */
  public static String randomEmail(String who) {
    return who + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
  }

  public static String json(Object value) throws Exception {
    return Json.MESSAGES.writeValueAsString(value);
  }
}
