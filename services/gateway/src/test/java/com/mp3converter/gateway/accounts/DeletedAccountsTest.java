package com.mp3converter.gateway.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.gateway.conversions.StoreDatabase;
import com.mp3converter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The copy of deleted_accounts that access tokens are checked against, on the real PostgreSQL: what this replica
 * records counts at once, another replica's deletion with the next reload, and a copy that is too old is not used.
 * "Another replica" writes the table directly, as its own DeletedAccounts would.
 */
class DeletedAccountsTest {
  static final StoreDatabase DATABASE = StoreDatabase.create();
  static final Duration REFRESH = Duration.ofSeconds(1);

  final MutableClock clock = new MutableClock(Instant.parse("2026-12-06T03:00:00Z"));
  final DeletedAccounts deletedAccounts =
      new DeletedAccounts(DATABASE.camel().createProducerTemplate(), clock, REFRESH);

  @AfterAll
  static void closeDatabase() {
    DATABASE.close();
  }

  @BeforeEach
  void emptyTable() {
    DATABASE.jdbc().update("DELETE FROM deleted_accounts");
  }

  static UUID deletedByAnotherReplica() {
    UUID user = UUID.randomUUID();
    DATABASE.jdbc().update("INSERT INTO deleted_accounts (user_id) VALUES (?)", user);
    return user;
  }

  @Test
  void beforeTheFirstReloadTheTableIsAsked() {
    UUID deleted = deletedByAnotherReplica();

    assertThat(deletedAccounts.contains(deleted)).isTrue();
    assertThat(deletedAccounts.contains(UUID.randomUUID())).isFalse();
  }

  @Test
  void anotherReplicasDeletionCountsFromTheNextReload() {
    UUID before = deletedByAnotherReplica();
    deletedAccounts.refresh();
    UUID after = deletedByAnotherReplica();

    assertThat(deletedAccounts.contains(before)).isTrue();
    assertThat(deletedAccounts.contains(after)).as("not in the copy yet").isFalse();

    clock.advance(REFRESH);
    deletedAccounts.refresh();
    assertThat(deletedAccounts.contains(after)).isTrue();
  }

  @Test
  void aDeletionRecordedHereCountsAtOnceAndStaysThroughLaterReloads() {
    deletedAccounts.refresh();
    UUID recorded = UUID.randomUUID();
    UUID forgotten = UUID.randomUUID();

    deletedAccounts.record(recorded);
    deletedAccounts.forget(forgotten);
    assertThat(deletedAccounts.contains(recorded)).isTrue();
    assertThat(deletedAccounts.contains(forgotten)).isTrue();

    for (int reload = 0; reload < 3; reload++) {
      clock.advance(REFRESH);
      deletedAccounts.refresh();
      assertThat(deletedAccounts.contains(recorded)).as("reload %d", reload).isTrue();
      assertThat(deletedAccounts.contains(forgotten)).as("reload %d", reload).isTrue();
    }
  }

  @Test
  void aCopyOlderThanThreeIntervalsIsNotUsed() {
    deletedAccounts.refresh();
    UUID deleted = deletedByAnotherReplica();

    clock.advance(REFRESH.multipliedBy(3));
    assertThat(deletedAccounts.contains(deleted)).as("three intervals old: still the copy").isFalse();

    clock.advance(Duration.ofMillis(1));
    assertThat(deletedAccounts.contains(deleted)).as("the reloads stopped: the table").isTrue();
  }

  @Test
  void expiredDeletionsLeaveTheCopyWithTheNextReload() {
    UUID deleted = deletedByAnotherReplica();
    DATABASE.jdbc().update("UPDATE deleted_accounts SET deleted_at = now() - interval '25 hours'");
    deletedAccounts.refresh();
    assertThat(deletedAccounts.contains(deleted)).isTrue();

    assertThat(deletedAccounts.removeExpired()).isEqualTo(1);
    clock.advance(REFRESH);
    deletedAccounts.refresh();
    assertThat(deletedAccounts.contains(deleted)).isFalse();
  }
}
