package com.mp3converter.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * Fresh, empty PostgreSQL databases on the real local server, one per test context, dropped when the JVM exits.
 * Tests never share state through the database and never touch the services' own databases.
 */
public final class TestDatabase {
  public static final String HOST = System.getProperty("mp3.test.pg.host", "127.0.0.1");
  public static final int PORT = Integer.getInteger("mp3.test.pg.port", 5432);
  public static final String USER = System.getProperty("mp3.test.pg.user", "postgres");
  public static final String PASSWORD = System.getProperty("mp3.test.pg.password", "");

  private TestDatabase() {}

  /** Creates a database named {@code <prefix>_test_<random>} and answers its JDBC URL. */
  public static String create(String prefix) {
    String name = (prefix + "_test_" + UUID.randomUUID().toString().substring(0, 8)).replaceAll("[^a-z0-9_]", "_");
    execute("CREATE DATABASE " + name);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> drop(name)));
    return url(name);
  }

  public static String url(String database) {
    return "jdbc:postgresql://" + HOST + ":" + PORT + "/" + database;
  }

  private static void drop(String name) {
    try {
      execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (RuntimeException ignored) {
      // Best effort at exit; a leftover test database is harmless and uniquely named.
    }
  }

  private static void execute(String sql) {
    try (Connection c = DriverManager.getConnection(url("postgres"), USER, PASSWORD);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL at " + HOST + ":" + PORT + " refused: " + sql, e);
    }
  }
}
