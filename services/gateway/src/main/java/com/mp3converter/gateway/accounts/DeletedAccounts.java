package com.mp3converter.gateway.accounts;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.ProducerTemplate;

/**
 * The deleted_accounts table: users whose account auth deleted. Their still-valid access tokens are refused
 * ({@link #contains}); {@link #forget} also deletes their jobs' rows.
 *
 * <p>{@link #contains} runs on every authenticated request, so it answers from a copy of the table that
 * {@link #refresh} reloads every {@code refreshInterval} (the route gateway-deleted-accounts-refresh); the table
 * holds a day of deletions at most. A deletion this replica records is in its copy at once; another replica's
 * reaches it with the next reload, so a deleted account's token may pass for at most one interval more on the
 * other replicas. A copy older than three intervals (the reload failing, or none yet) is not trusted: the table is
 * asked directly, as it was on every request before.
 */
public final class DeletedAccounts {
  private static final String RECORD = """
      INSERT INTO deleted_accounts (user_id) VALUES (CAST(:?userId AS uuid)) ON CONFLICT DO NOTHING""";

  /**
   * Records the deletion and deletes the user's job rows in one statement (the jobs' objects are deleted
   * before: {@link AccountCleanup}).
   */
  private static final String FORGET = """
      WITH jobs AS (
        DELETE FROM conversions WHERE user_id = CAST(:?userId AS uuid))
      INSERT INTO deleted_accounts (user_id) VALUES (CAST(:?userId AS uuid)) ON CONFLICT DO NOTHING""";

  private static final String CONTAINS = """
      SELECT 1 FROM deleted_accounts WHERE user_id = CAST(:?userId AS uuid)""";

  private static final String ALL = "SELECT user_id FROM deleted_accounts";

  /** A day: far past the access tokens' lifetime (minutes), after which nothing of the user can be presented. */
  private static final String REMOVE_OLD = """
      DELETE FROM deleted_accounts WHERE deleted_at < now() - interval '1 day'""";

  /** The copy of the table, and when the reload that made it began. */
  private record Copy(Set<UUID> users, Instant readAt) {}

  private final CamelJdbc jdbc;
  private final Clock clock;
  private final Duration trustedFor;
  private volatile Copy copy = new Copy(Set.of(), Instant.MIN);
  /**
   * Recorded by this replica since the reload before last began: a reload that read the table just before such
   * a row was written must not drop it from the copy.
   */
  private final Map<UUID, Instant> recordedHere = new ConcurrentHashMap<>();

  public DeletedAccounts(ProducerTemplate camel, Clock clock, Duration refreshInterval) {
    if (refreshInterval.isNegative() || refreshInterval.isZero()) {
      throw new IllegalArgumentException("the deleted accounts' refresh interval must be positive");
    }
    this.jdbc = new CamelJdbc(camel);
    this.clock = clock;
    this.trustedFor = refreshInterval.multipliedBy(3);
  }

  public void record(UUID userId) {
    jdbc.update(RECORD, Map.of("userId", userId.toString()));
    remember(userId);
  }

  public void forget(UUID userId) {
    jdbc.update(FORGET, Map.of("userId", userId.toString()));
    remember(userId);
  }

  public boolean contains(UUID userId) {
    Copy current = copy;
    if (current.readAt().isBefore(clock.instant().minus(trustedFor))) {
      return !jdbc.query(CONTAINS, Map.of("userId", userId.toString())).isEmpty();
    }
    return current.users().contains(userId) || recordedHere.containsKey(userId);
  }

  /** Reloads the copy from the table (a timer, every refresh interval). */
  public void refresh() {
    Instant readAt = clock.instant();
    Set<UUID> users = new HashSet<>();
    for (Map<String, Object> row : jdbc.query(ALL, Map.of())) {
      users.add((UUID) row.get("user_id"));
    }
    Instant previous = copy.readAt();
    copy = new Copy(Set.copyOf(users), readAt);
    // A deletion remembered before a reload began was committed before it, so that reload's rows hold it; the
    // previous reload's start is the margin kept for the wall clock's steps.
    recordedHere.values().removeIf(recorded -> recorded.isBefore(previous));
  }

  public int removeExpired() {
    return jdbc.update(REMOVE_OLD, Map.of());
  }

  private void remember(UUID userId) {
    recordedHere.put(userId, clock.instant());
  }
}
