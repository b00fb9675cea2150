package com.mp3converter.shared.database;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.flyway.FlywayMigrationStrategy;
import org.springframework.util.backoff.BackOff;
import org.springframework.util.backoff.BackOffExecution;

/**
 * A service's Flyway migration, without making its start depend on the database. Spring Boot migrates while the
 * application starts, and a database that does not answer then used to stop the service (a crash loop until it
 * came back). Here the first attempt still runs during start-up (a service whose database answers starts
 * migrated, as before); if it fails, the service starts anyway and the migration is retried in the background with
 * a growing pause ({@link BackOff}) until it succeeds.
 *
 * <p>Until then the service is not ready (this is the {@code databaseMigration} health indicator, UP once migrated and those routes are started, in each
 * service's readiness group; liveness never includes it), and nothing that reads or writes the tables on its own
 * runs: the routes that do so without being asked (consumers, timers) are declared {@code autoStartup: false}
 * in their route files, and this class starts every such route of the service's Camel context once the schema is
 * migrated and Camel has started, whichever comes last.
 */
public final class DatabaseMigration
    implements FlywayMigrationStrategy, HealthIndicator, CamelContextConfiguration, DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseMigration.class);

  private final BackOff backOff;
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(task -> {
    Thread thread = new Thread(task, "database-migration");
    thread.setDaemon(true);
    return thread;
  });
  private final CompletableFuture<Void> migrated = new CompletableFuture<>();
  private final AtomicInteger attempts = new AtomicInteger();
  private volatile String lastFailure;
  /** Migrated, and the routes that waited for it are started: the service may take traffic. */
  private volatile boolean ready;

  public DatabaseMigration(BackOff backOff) {
    this.backOff = backOff;
  }

  /** Called by Spring Boot's Flyway initializer while the application starts. */
  @Override
  public void migrate(Flyway flyway) {
    if (!attempt(flyway)) {
      retry(flyway, backOff.start());
    }
  }

  private void retry(Flyway flyway, BackOffExecution execution) {
    long pause = execution.nextBackOff();
    if (pause == BackOffExecution.STOP) {
      LOG.error("Database migration given up after {} attempts; the service stays not ready", attempts.get());
      return;
    }
    retries.schedule(() -> {
      if (!attempt(flyway)) {
        retry(flyway, execution);
      }
    }, pause, TimeUnit.MILLISECONDS);
  }

  private boolean attempt(Flyway flyway) {
    int attempt = attempts.incrementAndGet();
    try {
      flyway.migrate();
      lastFailure = null;
      if (attempt > 1) {
        LOG.info("Database migrated at attempt {}", attempt);
      }
      migrated.complete(null);
      return true;
    } catch (RuntimeException e) {
      lastFailure = e.getMessage();
      LOG.warn("Database migration attempt {} failed, retrying in the background: {}", attempt, e.getMessage());
      return false;
    }
  }

  @Override
  public Health health() {
    if (ready) {
      return Health.up().withDetail("attempts", attempts.get()).build();
    }
    Health.Builder down = Health.down().withDetail("attempts", attempts.get())
        .withDetail("migrated", migrated.isDone());
    if (lastFailure != null) {
      down.withDetail("error", lastFailure);
    }
    return down.build();
  }

  @Override
  public void beforeApplicationStart(CamelContext camel) {
    // Nothing to do before Camel starts: the waiting routes are told apart by their autoStartup.
  }

  /** Camel has started (every route but those declared {@code autoStartup: false}). */
  @Override
  public void afterApplicationStart(CamelContext camel) {
    migrated.thenRunAsync(() -> startWaitingRoutes(camel), retries);
  }

  private void startWaitingRoutes(CamelContext camel) {
    List<String> waiting = camel.getRoutes().stream()
        .filter(route -> Boolean.FALSE.equals(route.isAutoStartup()))
        .map(Route::getRouteId)
        .toList();
    for (String id : waiting) {
      try {
        camel.getRouteController().startRoute(id);
      } catch (Exception e) {
        LOG.error("Route {} could not start after the database migration", id, e);
      }
    }
    LOG.info("Database migrated; started the routes that waited for it: {}", waiting);
    ready = true;
  }

  @Override
  public void destroy() {
    retries.shutdownNow();
  }
}
