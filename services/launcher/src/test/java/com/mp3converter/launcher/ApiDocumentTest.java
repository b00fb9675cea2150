package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.ApiContract;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.RabbitVirtualHost;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The API description the gateway serves at {@code /openapi.json} (the hand-written openapi.yaml): it parses and
 * validates as OpenAPI 3.1 (swagger-parser), describes no internal path, declares security on every operation
 * (none for the public ones) and problem-details errors, covers every public verb of the REST DSL; and the answers
 * of a journey through the four real services (register, login, submit, status, list, download and the usual
 * mistakes) are what it says, status, Content-Type and JSON body (ApiContract). Redocly's lint of the same file
 * runs in .ci/run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocumentTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final Path REST_DSL = Path.of("..", "..", "routes", "gateway", "rest-api.camel.yaml");

  @TempDir static Path sources;

  private TestSystem system;
  private ApiClient client;
  private String documentJson;
  private OpenAPI api;
  private ApiContract contract;

  @BeforeAll
  void startEverything() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    Files.writeString(sources.resolve("notes.wav"), "these are not audio samples\n".repeat(50));
    system = TestSystem.named("apidoc").rabbit(RABBIT).sources(sources).start();
    client = system.api();

    HttpResponse<String> served = client.send("GET", "/openapi.json", null, null);
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type")).hasValueSatisfying(
        type -> assertThat(type).startsWith("application/json"));
    documentJson = served.body();
    contract = ApiContract.of(documentJson);
    ParseOptions options = new ParseOptions();
    options.setResolve(true);
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(documentJson, null, options);
    assertThat(parsed.getMessages()).as("swagger-parser's validation messages").isEmpty();
    api = parsed.getOpenAPI();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  // ------------------------------------------------------------------------------------------- the document

  @Test
  void theServedDocumentIsOpenApi31AndLeavesTheInternalApiOut() {
    assertThat(api.getOpenapi()).isEqualTo("3.1.0");
    assertThat(api.getPaths()).isNotEmpty();
    assertThat(api.getPaths().keySet()).noneMatch(path -> path.startsWith("/internal"));
    assertThat(documentJson).doesNotContain("/internal/");
  }

  @Test
  void everyOperationDeclaresItsSecurityAndAnswersErrorsAsProblems() {
    assertThat(api.getComponents().getSecuritySchemes()).containsKey("bearerAuth");
    assertThat(api.getComponents().getSecuritySchemes().get("bearerAuth").getScheme()).isEqualTo("bearer");
    assertThat(api.getSecurity()).as("no global default: each operation says what it needs").isNull();
    operations().forEach((name, operation) -> {
      assertThat(operation.getSecurity()).as(name + " declares its security").isNotNull();
      operation.getSecurity().forEach(requirement ->
          assertThat(api.getComponents().getSecuritySchemes()).as(name).containsKeys(
              requirement.keySet().toArray(String[]::new)));
      List<String> errors = operation.getResponses().keySet().stream()
          .filter(status -> status.startsWith("4") || status.startsWith("5") || status.equals("default")).toList();
      assertThat(errors).as(name + " documents its errors").isNotEmpty();
      for (String status : errors) {
        ApiResponse response = resolved(operation.getResponses().get(status));
        assertThat(response.getContent()).as(name + " " + status).containsOnlyKeys("application/problem+json");
        MediaType problem = response.getContent().get("application/problem+json");
        assertThat(problem.getSchema().get$ref()).as(name + " " + status)
            .isEqualTo("#/components/schemas/Problem");
      }
    });
    // The public entry points need no token; everything of a user's needs one.
    assertThat(operations().get("POST /auth/login").getSecurity()).isEmpty();
    assertThat(operations().get("GET /downloads/{token}").getSecurity()).isEmpty();
    assertThat(operations().get("GET /conversions/{id}").getSecurity()).hasSize(1);
    assertThat(operations().get("DELETE /account").getSecurity()).hasSize(1);
  }

  @Test
  void everyRequestAndJsonResponseBodyHasASchema() {
    operations().forEach((name, operation) -> {
      if (operation.getRequestBody() != null) {
        operation.getRequestBody().getContent().forEach((type, media) ->
            assertThat(media.getSchema()).as(name + " request " + type).isNotNull());
      }
      operation.getResponses().forEach((status, reference) -> {
        ApiResponse response = resolved(reference);
        assertThat(response).as(name + " " + status).isNotNull();
        if (response.getContent() != null) {
          response.getContent().forEach((type, media) ->
              assertThat(media.getSchema()).as(name + " " + status + " " + type).isNotNull());
        }
      });
    });
  }

  /** The document is written by hand: every public verb the gateway routes must be in it. */
  @Test
  void everyPublicVerbOfTheRestDslIsDescribed() throws Exception {
    Set<String> routed = new TreeSet<>();
    List<Map<String, Object>> definitions = new Yaml().load(Files.readString(REST_DSL));
    for (Map<String, Object> definition : definitions) {
      @SuppressWarnings("unchecked")
      Map<String, Object> rest = (Map<String, Object>) definition.get("rest");
      if (rest == null) {
        continue;
      }
      String base = (String) rest.getOrDefault("path", "");
      for (String verb : List.of("get", "post", "put", "delete", "patch", "head")) {
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> operations = (List<Map<String, Object>>) rest.getOrDefault(verb, List.of());
        for (Map<String, Object> operation : operations) {
          String path = base + operation.getOrDefault("path", "");
          if (!path.startsWith("/internal") && !path.equals("/openapi.json")) {
            routed.add(verb.toUpperCase() + " " + path);
          }
        }
      }
    }
    assertThat(routed).isNotEmpty();
    assertThat(operations().keySet()).containsAll(routed);
  }

  // ------------------------------------------------------------------- real answers against the document

  @Test
  void theAnswersOfAJourneyAreWhatTheDocumentSays() throws Exception {
    String email = "contract-" + UUID.randomUUID() + "@example.com";
    String token = registerVerifyAndLogin(email);

    checked("POST", "/auth/register", "/auth/register", null, "{\"email\":");
    checked("POST", "/auth/login", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", "not " + ApiClient.PASSWORD)));
    checked("POST", "/conversions", "/conversions", null, "{\"url\":\"" + system.files().url("tone.wav") + "\"}");
    checked("POST", "/conversions", "/conversions", token, "{\"url\":\"ftp://example.com/a.wav\"}");
    checked("POST", "/conversions", "/conversions", token, "{\"url\":\"" + system.files().url("tone.wav") + "\",\"bitrate\":\"7k\"}");

    HttpResponse<String> accepted = checked("POST", "/conversions", "/conversions", token,
        "{\"url\":\"" + system.files().url("tone.wav") + "\",\"bitrate\":\"128k\"}");
    assertThat(accepted.statusCode()).isEqualTo(202);
    String id = Json.MESSAGES.readTree(accepted.body()).get("id").asText();
    assertThat(accepted.headers().firstValue("Location")).contains("/conversions/" + id);
    HttpResponse<String> notAudioAccepted = checked("POST", "/conversions", "/conversions", token,
        "{\"url\":\"" + system.files().url("notes.wav") + "\"}");
    String notAudio = Json.MESSAGES.readTree(notAudioAccepted.body()).get("id").asText();

    JsonNode completed = awaitFinished(token, id);
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(awaitFinished(token, notAudio).path("status").asText()).isEqualTo("failed");

    checked("GET", "/conversions", "/conversions", token, null);
    checked("GET", "/conversions?limit=1", "/conversions", token, null);
    checked("GET", "/conversions?limit=0", "/conversions", token, null);
    checked("GET", "/conversions", "/conversions", "not-a-token", null);
    checked("GET", "/conversions/" + UUID.randomUUID(), "/conversions/{id}", token, null);

    HttpResponse<String> mp3 = checked("GET", "/conversions/" + id + "/mp3", "/conversions/{id}/mp3", token, null);
    assertThat(mp3.statusCode()).isEqualTo(200);
    assertThat(checkedRange("/conversions/" + id + "/mp3", "/conversions/{id}/mp3", token, "bytes=0-99").statusCode())
        .isEqualTo(206);
    assertThat(checkedRange("/conversions/" + id + "/mp3", "/conversions/{id}/mp3", token, "bytes=99999999-")
        .statusCode()).isEqualTo(416);
    checked("GET", "/conversions/" + notAudio + "/mp3", "/conversions/{id}/mp3", token, null);

    String link = completed.path("download").path("url").asText();
    String linkPath = URI.create(link).getRawPath();
    assertThat(linkPath).startsWith("/downloads/");
    assertThat(checked("GET", linkPath, "/downloads/{token}", null, null).statusCode()).isEqualTo(200);
    assertThat(checked("GET", linkPath + "x", "/downloads/{token}", null, null).statusCode()).isEqualTo(403);
  }

  /** Registers; where the service verifies email addresses first, follows the link of its email. */
  private String registerVerifyAndLogin(String email) throws Exception {
    String registration = Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", ApiClient.PASSWORD, "name", "Ada"));
    HttpResponse<String> registered = checked("POST", "/auth/register", "/auth/register", null, registration);
    assertThat(registered.statusCode()).isIn(201, 202);
    if (registered.statusCode() == 202) {
      String verification = EmailLinks.awaitVerifyToken(system.resend(), email);
      HttpResponse<String> verified = checked("POST", "/auth/verify", "/auth/verify", null,
          Json.MESSAGES.writeValueAsString(Map.of("token", verification)));
      assertThat(verified.statusCode()).isEqualTo(200);
    }
    checked("POST", "/auth/register", "/auth/register", null, registration);
    HttpResponse<String> login = checked("POST", "/auth/login", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", ApiClient.PASSWORD)));
    assertThat(login.statusCode()).isEqualTo(200);
    return Json.MESSAGES.readTree(login.body()).get("access_token").asText();
  }

  /** Polls the job (every answer checked against the document) until it is finished. */
  private JsonNode awaitFinished(String token, String id) {
    return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
      HttpResponse<String> status = checked("GET", "/conversions/" + id, "/conversions/{id}", token, null);
      assertThat(status.statusCode()).isEqualTo(200);
      return Json.MESSAGES.readTree(status.body());
    }, job -> List.of("completed", "failed", "cancelled").contains(job.path("status").asText()));
  }

  private HttpResponse<String> checked(String method, String path, String template, String token, String json)
      throws Exception {
    HttpResponse<String> response = client.send(method, path, token, json);
    contract.assertConforms(method, template, response);
    return response;
  }

  private HttpResponse<String> checkedRange(String path, String template, String token, String range)
      throws Exception {
    HttpResponse<String> response = client.send(client.request(path, token).header("Range", range).GET().build());
    contract.assertConforms("GET", template, response);
    return response;
  }

  /** A response, or the component response it refers to. */
  private ApiResponse resolved(ApiResponse response) {
    String ref = response.get$ref();
    return ref == null
        ? response
        : api.getComponents().getResponses().get(ref.substring(ref.lastIndexOf('/') + 1));
  }

  /** Every operation of the document by "METHOD path". */
  private Map<String, Operation> operations() {
    Map<String, Operation> operations = new java.util.TreeMap<>();
    for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
      path.getValue().readOperationsMap().forEach((method, operation) ->
          operations.put(method.name() + " " + path.getKey(), operation));
    }
    assertThat(operations).isNotEmpty();
    return operations;
  }
}
