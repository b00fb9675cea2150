package com.mp3converter.shared.jdbc;

import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.component.jdbc.JdbcConstants;

/**
 * The one way a store (one class per table: the gateway's conversions, auth's users, the notifier's sent emails)
 * runs a statement: on camel-jdbc's {@code dataSource}, in an exchange of its own, with named parameters
 * ({@code :?name}). So the SQL stays beside the store method that needs it, and no route carries SQL or builds
 * parameter maps. A failing statement is rethrown with its cause kept (a {@link java.sql.SQLException} stays in
 * the chain, where the routes' error policies match it).
 */
public final class CamelJdbc {
  /**
   * resetAutoCommit=false: each statement runs in the connection's auto-commit mode (the pool's default), a
   * transaction of its own in one round trip. camel-jdbc's default turns auto-commit off, runs the statement and
   * sends a separate COMMIT: the same outcome at twice the round trips (docs/performance.md, "Intake: where the
   * time goes").
   */
  static final String ENDPOINT = "jdbc:dataSource?useHeadersAsParameters=true&resetAutoCommit=false";

  private final ProducerTemplate producer;

  public CamelJdbc(ProducerTemplate producer) {
    this.producer = producer;
  }

  /** The rows a query answers, each as its columns by name. */
  @SuppressWarnings("unchecked")
  public List<Map<String, Object>> query(String sql, Map<String, ?> parameters) {
    return run(sql, parameters).getBody(List.class);
  }

  /** How many rows an INSERT, UPDATE or DELETE changed. */
  public int update(String sql, Map<String, ?> parameters) {
    return run(sql, parameters).getHeader(JdbcConstants.JDBC_UPDATE_COUNT, 0, Integer.class);
  }

  private Message run(String sql, Map<String, ?> parameters) {
    Exchange done = producer.send(ENDPOINT, exchange -> {
      exchange.getIn().setBody(sql);
      exchange.getIn().setHeader(JdbcConstants.JDBC_PARAMETERS, parameters);
    });
    if (done.getException() != null) {
      throw RuntimeCamelException.wrapRuntimeException(done.getException());
    }
    return done.getMessage();
  }
}
