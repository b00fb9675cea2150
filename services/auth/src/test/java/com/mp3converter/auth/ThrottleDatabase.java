package com.mp3converter.auth;

import com.mp3converter.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fresh auth database on the real PostgreSQL, migrated by auth's own Flyway scripts, and the throttles' store
 * over it. Each {@link #replica} has a connection pool of its own, as each auth replica has: what they share is
 * the database alone.
 */
final class ThrottleDatabase implements AutoCloseable {
  private final String url = TestDatabase.create("auth_throttle");
  private final List<HikariDataSource> pools = new ArrayList<>();

  ThrottleDatabase() {
    Flyway.configure().dataSource(newPool()).locations("classpath:db/migration/auth").load().migrate();
  }

  /** The store as one replica sees it, on a pool of its own. */
  ThrottleBuckets replica(Clock clock) {
    return new ThrottleBuckets(newPool(), clock);
  }

  JdbcTemplate jdbc() {
    return new JdbcTemplate(pools.get(0));
  }

  /** A connection pool of its own on the database, closed with it. */
  HikariDataSource newPool() {
    HikariDataSource pool = new HikariDataSource();
    pool.setJdbcUrl(url);
    pool.setUsername(TestDatabase.USER);
    pool.setPassword(TestDatabase.PASSWORD);
    pool.setMaximumPoolSize(4);
    pools.add(pool);
    return pool;
  }

  @Override
  public void close() {
    pools.forEach(HikariDataSource::close);
  }
}
