package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.messages.Topology;
import java.util.Arrays;
import java.util.Optional;

/**
 * A job's state and its rank. States only move to a higher rank ({@code queued < processing < completed|failed}),
 * so events that arrive late or twice never move a job back: a late {@code started} cannot undo a final state.
 * The rank is stored beside the status and every update is guarded by {@code WHERE status_rank < :rank}.
 */
public enum JobStatus {
  QUEUED("queued", 0),
  PROCESSING("processing", 1),
  COMPLETED("completed", 2),
  FAILED("failed", 2);

  private final String code;
  private final int rank;

  JobStatus(String code, int rank) {
    this.code = code;
    this.rank = rank;
  }

  public String code() {
    return code;
  }

  public int rank() {
    return rank;
  }

  public boolean isFinal() {
    return rank == 2;
  }

  /** Whether an event that brings {@code next} may change a job that is in this state. */
  public boolean canMoveTo(JobStatus next) {
    return next.rank > rank;
  }

  public static JobStatus fromCode(String code) {
    return Arrays.stream(values())
        .filter(s -> s.code.equals(code))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown job status " + code));
  }

  /** The state an event with this routing key announces; empty for keys the status view does not track. */
  public static Optional<JobStatus> fromRoutingKey(String routingKey) {
    if (routingKey == null) {
      return Optional.empty();
    }
    return switch (routingKey) {
      case Topology.STARTED -> Optional.of(PROCESSING);
      case Topology.COMPLETED -> Optional.of(COMPLETED);
      case Topology.FAILED -> Optional.of(FAILED);
      default -> Optional.empty();
    };
  }
}
