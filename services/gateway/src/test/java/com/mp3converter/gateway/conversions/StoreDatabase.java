package com.mp3converter.gateway.conversions;

import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.testing.TestDatabase;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A fresh gateway database on the real PostgreSQL, migrated by the gateway's own Flyway scripts, and the
 * {@link Conversions} store over it, running through camel-jdbc exactly as in the gateway (the pool bound as
 * {@code dataSource}), without the rest of the application. One per test class.
 */
public final class StoreDatabase implements AutoCloseable {
  private final HikariDataSource dataSource;
  private final DefaultCamelContext camel;

  private StoreDatabase(HikariDataSource dataSource, DefaultCamelContext camel) {
    this.dataSource = dataSource;
    this.camel = camel;
  }

  public static StoreDatabase create() {
    HikariDataSource dataSource = new HikariDataSource();
    dataSource.setJdbcUrl(TestDatabase.create("gateway_store"));
    dataSource.setUsername(TestDatabase.USER);
    dataSource.setPassword(TestDatabase.PASSWORD);
    Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/gateway").load().migrate();
    DefaultCamelContext camel = new DefaultCamelContext();
    camel.getRegistry().bind("dataSource", dataSource);
    camel.start();
    return new StoreDatabase(dataSource, camel);
  }

  /** The default retention (mp3.retention.period). */
  public static final Duration RETENTION = Duration.ofDays(7);

  /** The store, taking "now" from {@code clock}, keeping finished jobs for {@link #RETENTION}. */
  public Conversions conversions(Clock clock) {
    return conversions(clock, new GatewayMetrics(new SimpleMeterRegistry()));
  }

  /** The store, counting its status changes into {@code metrics}. */
  public Conversions conversions(Clock clock, GatewayMetrics metrics) {
    return new Conversions(camel.createProducerTemplate(), clock, RETENTION, metrics);
  }

  /** Direct access, to look at rows and to hold row locks the way a concurrent statement would. */
  public HikariDataSource dataSource() {
    return dataSource;
  }

  /** The Camel context the store runs in. */
  public CamelContext camel() {
    return camel;
  }

  public JdbcTemplate jdbc() {
    return new JdbcTemplate(dataSource);
  }

  @Override
  public void close() {
    camel.stop();
    dataSource.close();
  }
}
