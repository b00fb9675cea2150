package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
  /**
   * The one row kept on purpose: the gateway remembers a deleted user's id (nothing else) for a day, to refuse
   * their access tokens until the last one has expired.
   */
  private static final String KEPT_ON_PURPOSE = "deleted_accounts";

  @TempDir static Path sources;

  private TestSystem system;
  private ApiClient api;

  @BeforeAll
  void startEverything() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("tone.wav"), 2.0);
    system = TestSystem.named("del").rabbit(RABBIT).sources(sources).start();
    api = system.api();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (system != null) {
      system.close();
    }
  }

  @Test
  void aDeletedAccountLeavesNothingInTheDatabasesOrInS3() throws Exception {
    String email = ApiClient.randomEmail("leaving");
    String token = api.registerVerifyAndLogin(email);
    String userId = ApiClient.subject(token);
    String other = api.registerVerifyAndLogin(ApiClient.randomEmail("staying"));
    String tone = system.files().url("tone.wav");
    String kept = api.accept(other, tone);
    String job = api.accept(token, tone);
    assertThat(api.awaitFinished(token, job).get("status").asText()).isEqualTo("completed");
    assertThat(api.awaitFinished(other, kept).get("status").asText()).isEqualTo("completed");
    await().atMost(Duration.ofSeconds(30)).until(() -> api.conversionEmailsTo(email).size() == 1);
    assertThat(api.send("POST", "/auth/password-reset", null, "{\"email\":\"" + email + "\"}").statusCode())
        .isEqualTo(202);
    EmailLinks.awaitToken(system.resend()::emails, email, EmailLinks.RESET);
    // Before: the user is everywhere, so the search below can find them.
    assertThat(traces(userId, email)).containsKeys("auth", "gateway", "notifier");
    assertThat(objects(userId)).isNotEmpty();

    HttpResponse<String> deleted = api.send("DELETE", "/account", token, null);

    assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(204);
    // The token is still well signed and unexpired: refused because its account is gone.
    HttpResponse<String> refused = api.send("GET", "/conversions", token, null);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(api.send("DELETE", "/account", token, null).statusCode()).isEqualTo(401);
    await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
      assertThat(traces(userId, email)).isEmpty();
      assertThat(objects(userId)).isEmpty();
    });
    assertThat(api.send("POST", "/auth/login", null,
        Json.MESSAGES.writeValueAsString(Map.of("email", email, "password", ApiClient.PASSWORD))).statusCode()).isEqualTo(401);
    // The other user keeps everything.
    assertThat(api.send("GET", "/conversions/" + kept, other, null).statusCode()).isEqualTo(200);
    assertThat(objects(ApiClient.subject(other))).isNotEmpty();
  }

  /** Per database, the tables that still have a row mentioning the user's id or address (as text). */
  private Map<String, List<String>> traces(String userId, String email) throws SQLException {
    Map<String, List<String>> found = new java.util.TreeMap<>();
    for (Service service : List.of(Service.AUTH, Service.GATEWAY, Service.NOTIFIER)) {
      try (Connection connection = DriverManager.getConnection(system.database(service), TestDatabase.USER,
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
              found.computeIfAbsent(service.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(table);
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
      system.s3().client().listObjectsV2Paginator(request -> request.bucket(TestSystem.BUCKET).prefix(prefix + userId + "/"))
          .contents().forEach(object -> keys.add(object.key()));
    }
    return keys;
  }
}
