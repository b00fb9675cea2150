package com.mp3converter.gateway.accounts;

import com.mp3converter.shared.jdbc.CamelJdbc;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;

/**
 * The deleted_accounts table: users whose account auth deleted. Their still-valid access tokens are refused
 * ({@link #contains}); {@link #forget} also deletes their jobs' rows.
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

  /** A day: far past the access tokens' lifetime (minutes), after which nothing of the user can be presented. */
  private static final String REMOVE_OLD = """
      DELETE FROM deleted_accounts WHERE deleted_at < now() - interval '1 day'""";

  private final CamelJdbc jdbc;

  public DeletedAccounts(ProducerTemplate camel) {
    this.jdbc = new CamelJdbc(camel);
  }

  public void record(UUID userId) {
    jdbc.update(RECORD, Map.of("userId", userId.toString()));
  }

  public void forget(UUID userId) {
    jdbc.update(FORGET, Map.of("userId", userId.toString()));
  }

  public boolean contains(UUID userId) {
    return !jdbc.query(CONTAINS, Map.of("userId", userId.toString())).isEmpty();
  }

  public int removeExpired() {
    return jdbc.update(REMOVE_OLD, Map.of());
  }
}
