package com.mp3converter.shared.database;

import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.flywaydb.core.Flyway;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.flyway.FlywayAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.util.backoff.ExponentialBackOff;

/**
 * Every service that keeps tables (auth, gateway, notifier) starts while its database is down and becomes ready
 * when it answers, without a restart: the connection pool starts without a connection, and the migration runs
 * once the database answers ({@link DatabaseMigration}, health indicator {@code databaseMigration}). The worker,
 * without a database, gets none of it.
 */
@AutoConfiguration(after = FlywayAutoConfiguration.class)
@ConditionalOnClass({Flyway.class, HikariDataSource.class, HealthIndicator.class, CamelContextConfiguration.class})
@ConditionalOnBean(Flyway.class)
public class DatabaseAutoConfiguration {
  /** First retry after 1 s, then twice as long each time, at most 30 s apart, for as long as it takes. */
  static final long FIRST_RETRY_MS = 1000;
  static final long LONGEST_RETRY_MS = 30_000;

  @Bean
  DatabaseMigration databaseMigration() {
    ExponentialBackOff backOff = new ExponentialBackOff(FIRST_RETRY_MS, 2);
    backOff.setMaxInterval(LONGEST_RETRY_MS);
    return new DatabaseMigration(backOff);
  }

  /**
   * Hikari's pool, by default, fails when its first connection cannot be made; -1 lets it start empty and keep
   * trying, so a request or a health check meets a connection timeout (and answers 503 or DOWN), not a dead pool.
   */
  @Bean
  static BeanPostProcessor poolStartsWithoutDatabase() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof HikariDataSource pool) {
          pool.setInitializationFailTimeout(-1);
        }
        return bean;
      }
    };
  }
}
