package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * DELETE /account end to end, on the four real services: a user with a converted file, a conversion email, a
 * reset link and account emails deletes their account, and then nothing of theirs is left in any of the three
 * databases (every row of every table is searched for their id and address) or in S3; their still-valid access
 * token is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AccountDeletionTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final String PASSWORD = "correct horse battery";
  private static final String BUCKET = "mp3";
  /**
   * The one row kept on purpose: the gateway remembers a deleted user's id (nothing else) for a day, to refuse
   * their access tokens until the last one has expired.
   */
  private static final String KEPT_ON_PURPOSE = "deleted_accounts";

  @TempDir static Path sources;

  private final Map<String, String> databases = new java.util.LinkedHashMap<>();
  private LocalS3 s3;
  private ResendStub resend;
  private StaticFileServer files;
  private LocalSystem system;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startEverything() throws Exception {
    s3 = LocalS3.start().createBucket(BUCKET);
    resend = ResendStub.start();
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    files = StaticFileServer.serve(sources);
    databases.put("auth", TestDatabase.create("del_auth"));
    databases.put("gateway", TestDatabase.create("del_gateway"));
    databases.put("notifier", TestDatabase.create("del_notifier"));
    Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
    perService.put(Service.AUTH, Map.of("spring.datasource.url", databases.get("auth")));
    perService.put(Service.GATEWAY, Map.of("spring.datasource.url", databases.get("gateway")));
    perService.put(Service.NOTIFIER, Map.of("spring.datasource.url", databases.get("notifier")));
    system = LocalSystem.start(Map.ofEntries(
            Map.entry("spring.rabbitmq.virtual-host", RABBIT.name()),
            Map.entry("MP3_S3_ENDPOINT", s3.endpoint()),
            Map.entry("MP3_S3_ACCESS_KEY", s3.accessKey()),
            Map.entry("MP3_S3_SECRET_KEY", s3.secretKey()),
            Map.entry("MP3_S3_BUCKET", BUCKET),
            Map.entry("MP3_RESEND_BASE_URL", resend.baseUrl()),
            Map.entry("MP3_RESEND_API_KEY", resend.apiKey()),
            Map.entry("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>"),
            Map.entry("MP3_INTERNAL_TOKEN", TestSecrets.token()),
            Map.entry("MP3_ALLOW_PRIVATE_SOURCES", "true"),
            Map.entry("MP3_SOURCE_PORTS", "80,443," + files.port())),
        perService, LocalSystem.freePorts());
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (system != null) {
      system.close();
    }
    files.close();
    resend.close();
    s3.close();
    s3.deleteFolder();
  }

  @Test
  void aDeletedAccountLeavesNothingInTheDatabasesOrInS3() throws Exception {
    String email = "leaving-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String token = registerVerifyAndLogin(email);
    String userId = subject(token);
    String other = registerVerifyAndLogin("staying-" + java.util.UUID.randomUUID().toString().substring(0, 8) + "@example.org");
    String kept = accept(other);
    String job = accept(token);
    awaitCompleted(token, job);
    awaitCompleted(other, kept);
    await().atMost(Duration.ofSeconds(30)).until(() -> resend.emails().stream()
        .filter(EmailLinks::aboutConversion).filter(e -> e.to().contains(email)).count() == 1);
    assertThat(send("POST", "/auth/password-reset", null, "{\"email\":\"" + email + "\"}").statusCode())
        .isEqualTo(202);
    EmailLinks.awaitToken(resend::emails, email, EmailLinks.RESET);
    // Before: the user is everywhere, so the search below can find them.
    assertThat(traces(userId, email)).containsKeys("auth", "gateway", "notifier");
    assertThat(objects(userId)).isNotEmpty();

    HttpResponse<String> deleted = send("DELETE", "/account", token, null);

    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    // The token is still well signed and unexpired: refused because its account is gone.
    HttpResponse<String> refused = send("GET", "/conversions", token, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(send("DELETE", "/account", token, null).statusCode()).isEqualTo(401);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      assertThat(traces(userId, email)).isEmpty();
      assertThat(objects(userId)).isEmpty();
    });
    assertThat(send("POST", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", PASSWORD))).statusCode()).isEqualTo(401);
    // The other user keeps everything.
    assertThat(send("GET", "/conversions/" + kept, other, null).statusCode()).isEqualTo(200);
    assertThat(objects(subject(other))).isNotEmpty();
  }

  /** Per database, the tables that still have a row mentioning the user's id or address (as text). */
  private Map<String, List<String>> traces(String userId, String email) throws SQLException {
    Map<String, List<String>> found = new java.util.TreeMap<>();
    for (Map.Entry<String, String> database : databases.entrySet()) {
      try (Connection connection = DriverManager.getConnection(database.getValue(), TestDatabase.USER,
          TestDatabase.PASSWORD)) {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = connection.createStatement().executeQuery(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")) {
          while (rows.next()) {
            tables.add(rows.getString(1));
          }
        }
        for (String table : tables) {
          if (table.equals(KEPT_ON_PURPOSE) || table.startsWith("flyway")) {
            continue;
          }
          var query = connection.prepareStatement(
              "SELECT count(*) FROM \"" + table + "\" t WHERE t::text ILIKE ? OR t::text ILIKE ?");
          query.setString(1, "%" + userId + "%");
          query.setString(2, "%" + email + "%");
          try (ResultSet count = query.executeQuery()) {
            count.next();
            if (count.getLong(1) > 0) {
              found.computeIfAbsent(database.getKey(), k -> new ArrayList<>()).add(table);
            }
          }
        }
      }
    }
    return found;
  }

  private List<String> objects(String userId) {
    List<String> keys = new ArrayList<>();
    for (String prefix : List.of("users/", "uploads/")) {
      s3.client().listObjectsV2Paginator(request -> request.bucket(BUCKET).prefix(prefix + userId + "/"))
          .contents().forEach(object -> keys.add(object.key()));
    }
    return keys;
  }

  private String registerVerifyAndLogin(String email) throws Exception {
    assertThat(send("POST", "/auth/register", null, Json.MESSAGES.writeValueAsString(
        Map.of("email", email, "password", PASSWORD, "name", "Leaving"))).statusCode()).isEqualTo(202);
    HttpResponse<String> verified = send("POST", "/auth/verify", null,
        Json.MESSAGES.writeValueAsString(Map.of("token", EmailLinks.awaitVerifyToken(resend, email))));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    HttpResponse<String> login = send("POST", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", PASSWORD)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(login.body()).get("access_token").asText();
  }

  private String accept(String token) throws Exception {
    HttpResponse<String> response = send("POST", "/conversions", token, "{\"url\":\"" + files.url("tone.wav") + "\"}");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  private void awaitCompleted(String token, String id) {
    JsonNode job = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() ->
        Json.MESSAGES.readTree(send("GET", "/conversions/" + id, token, null).body()),
        view -> List.of("completed", "failed").contains(view.path("status").asText()));
    assertThat(job.get("status").asText()).isEqualTo("completed");
  }

  private static String subject(String token) throws Exception {
    return Json.MESSAGES.readTree(Base64.getUrlDecoder().decode(token.split("\\.")[1])).get("sub").asText();
  }

  private HttpResponse<String> send(String method, String path, String token, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(system.gatewayUrl() + path))
        .timeout(Duration.ofSeconds(30));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    if (json != null) {
      request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
    } else {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
