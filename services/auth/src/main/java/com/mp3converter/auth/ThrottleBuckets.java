package com.mp3converter.auth;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import io.github.bucket4j.postgresql.PostgreSQLSelectForUpdateBasedProxyManager;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.sql.DataSource;

/**
 * The throttles' state, in PostgreSQL's {@code throttle_buckets} table (Flyway V2): one Bucket4j token bucket per
 * key, shared by every auth replica and kept across restarts. Bucket4j reads and changes a bucket under
 * {@code SELECT ... FOR UPDATE} in a transaction of its own, so concurrent attempts on any replica are counted
 * one after the other and none is lost. It runs its statements on the DataSource itself rather than through
 * {@code CamelJdbc}: the lock, the read, the write and the commit must share one connection.
 *
 * <p>Buckets are timed by {@code clock} on the replica that touches them, so replicas' clocks must agree (NTP);
 * a replica ahead by some seconds lets a throttled client in that much sooner, no more. When a row expires is
 * reckoned by Bucket4j on the system clock (writer and cleaner alike), which is the same clock outside tests.
 */
public final class ThrottleBuckets {
  /** Kept past the refill, so a replica whose clock runs a little ahead does not delete a bucket still in use. */
  private static final Duration KEPT_AFTER_REFILL = Duration.ofMinutes(1);

  private static final int CLEANUP_BATCH = 1000;

  private final PostgreSQLSelectForUpdateBasedProxyManager<String> buckets;

  public ThrottleBuckets(DataSource dataSource, Clock clock) {
    this(dataSource, clock, KEPT_AFTER_REFILL);
  }

  /** With how long a refilled bucket is kept before the cleanup may delete it (tests: none). */
  ThrottleBuckets(DataSource dataSource, Clock clock, Duration keptAfterRefill) {
    this.buckets = Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
        .primaryKeyMapper(PrimaryKeyMapper.STRING)
        .table("throttle_buckets")
        .idColumn("id")
        .stateColumn("state")
        .expiresAtColumn("expires_at")
        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(keptAfterRefill))
        .clientClock(new ClockTime(clock))
        .build();
  }

  /** The bucket of one key of a kind (created full, with {@code configuration}, when first used). */
  BucketProxy bucket(String kind, String key, BucketConfiguration configuration) {
    return buckets.builder().build(id(kind, key), () -> configuration);
  }

  /** Drops a key's bucket: the next use starts full. */
  void remove(String kind, String key) {
    buckets.removeProxy(id(kind, key));
  }

  /**
   * Deletes the buckets that have refilled (a full bucket and none are the same), in batches; each replica's
   * cleanup route calls it, and concurrent runs skip each other's rows.
   *
   * @return how many were deleted
   */
  public int removeExpired() {
    int total = 0;
    int removed;
    do {
      removed = buckets.removeExpired(CLEANUP_BATCH);
      total += removed;
    } while (removed == CLEANUP_BATCH);
    return total;
  }

  /**
   * The row id: the kind, then a SHA-256 of the key. Keys hold client addresses and emails; hashed, the table (and
   * its backups and logs) does not list who tried to log in from where, and every id has the same short length
   * whatever the input. A plain hash, not a keyed one: every replica must derive the same id without a shared
   * secret, and the throttle only needs equality. It is no anonymisation (a known email can be hashed and
   * looked up), but it keeps addresses out of a table that has no reason to hold them.
   */
  static String id(String kind, String key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return kind + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Bucket4j's time from the application clock, so tests can move it. */
  private record ClockTime(Clock clock) implements TimeMeter {
    @Override
    public long currentTimeNanos() {
      Instant now = clock.instant();
      return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    @Override
    public boolean isWallClockBased() {
      return true;
    }
  }
}
