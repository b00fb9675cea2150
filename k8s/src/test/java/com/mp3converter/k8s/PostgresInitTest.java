package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Runs the PostgreSQL init script (base/config/10-mp3-databases.sh) the way the postgres image's entrypoint does,
 * against the local server: every service's database and its owner are created, the passwords are stored, PUBLIC
 * may not connect, and values with quotes cannot break out of the SQL.
 */
class PostgresInitTest {
  private final String suffix = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String authDb = "k8s_init_auth_" + suffix;
  private final String gatewayDb = "k8s_init_gateway_" + suffix;
  private final String authUser = "k8s_init_auth_owner_" + suffix;
  private final String gatewayUser = "k8s_init_gw_owner_" + suffix;
  private final String notifierDb = "k8s_init_notifier_" + suffix;
  private final String notifierUser = "k8s_init_nt_owner_" + suffix;

  private static String psql(String sql) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("psql", "--no-psqlrc", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres",
        "-At", "-v", "ON_ERROR_STOP=1", "-c", sql).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("psql: " + out);
    }
    return out;
  }

  private static boolean postgresAnswers() {
    try {
      return psql("select 1").equals("1");
    } catch (IOException | IllegalStateException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Test
  void createsOneOwnedDatabasePerServiceFromTheEnvironment() throws Exception {
    assumeTrue(postgresAnswers(), "no PostgreSQL answers on 127.0.0.1:5432 as postgres (psql)");
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", "127.0.0.1");
    env.put("POSTGRES_USER", "postgres");
    env.put("AUTH_DB", authDb);
    env.put("AUTH_DB_USER", authUser);
    env.put("AUTH_DB_PASSWORD", "it's a \"quoted\"; DROP ROLE postgres; --");
    env.put("GATEWAY_DB", gatewayDb);
    env.put("GATEWAY_DB_USER", gatewayUser);
    env.put("GATEWAY_DB_PASSWORD", "plain-" + suffix);
    env.put("NOTIFIER_DB", notifierDb);
    env.put("NOTIFIER_DB_USER", notifierUser);
    env.put("NOTIFIER_DB_PASSWORD", "notifier-" + suffix);
    ProcessBuilder pb = new ProcessBuilder("sh", Repo.k8s().resolve("base/config/10-mp3-databases.sh").toString())
        .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("init script: %s", out).isZero();

    assertThat(psql("select pg_get_userbyid(datdba) from pg_database where datname = '" + authDb + "'"))
        .isEqualTo(authUser);
    assertThat(psql("select pg_get_userbyid(datdba) from pg_database where datname = '" + gatewayDb + "'"))
        .isEqualTo(gatewayUser);
    assertThat(psql("select pg_get_userbyid(datdba) from pg_database where datname = '" + notifierDb + "'"))
        .isEqualTo(notifierUser);
    assertThat(psql("select rolcanlogin and rolpassword is not null from pg_authid where rolname in ('"
        + authUser + "', '" + gatewayUser + "', '" + notifierUser + "')")).isEqualTo("t\nt\nt");
    assertThat(psql("select has_database_privilege('" + gatewayUser + "', '" + authDb + "', 'CONNECT')"))
        .isEqualTo("f");
    assertThat(psql("select has_database_privilege('" + notifierUser + "', '" + gatewayDb + "', 'CONNECT')"))
        .isEqualTo("f");
    assertThat(psql("select has_database_privilege('" + authUser + "', '" + authDb + "', 'CREATE')")).isEqualTo("t");
    assertThat(psql("select count(*) from pg_roles where rolname = 'postgres'")).isEqualTo("1");
  }

  @AfterEach
  void dropWhatTheScriptMade() throws Exception {
    if (!postgresAnswers()) {
      return;
    }
    List<String> cleanup = new ArrayList<>();
    cleanup.add("drop database if exists " + authDb);
    cleanup.add("drop database if exists " + gatewayDb);
    cleanup.add("drop database if exists " + notifierDb);
    cleanup.add("drop role if exists " + authUser);
    cleanup.add("drop role if exists " + gatewayUser);
    cleanup.add("drop role if exists " + notifierUser);
    for (String sql : cleanup) {
      psql(sql);
    }
  }
}
