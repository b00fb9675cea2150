package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.messages.Topology;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * A job's state. States only move to a higher rank ({@code queued < processing < completed|failed|cancelled}), so events
 * that arrive late or twice never move a job back: a late {@code started} cannot undo a final state. The rank is
 * this rule's alone and never stored: {@link Conversions} turns {@link #canMoveTo} into the WHERE clause of each
 * status UPDATE ({@link #statesThatMayMoveTo}), so rule and write are one atomic statement. The one move back, a
 * failed job the user retries ({@code failed -> queued}), is its own guarded statement
 * ({@link Conversions#retry}) and starts a new attempt, whose number the events carry.
 */
public enum JobStatus {
  QUEUED("queued", 0),
  PROCESSING("processing", 1),
  COMPLETED("completed", 2),
  FAILED("failed", 2),
  /** The user cancelled it while queued or processing; no later event moves it (same rank as the other ends). */
  CANCELLED("cancelled", 2);

  private static final int FINAL_RANK = 2;

  private final String code;
  private final int rank;

  JobStatus(String code, int rank) {
    this.code = code;
    this.rank = rank;
  }

  public String code() {
    return code;
  }

  public boolean isFinal() {
    return rank == FINAL_RANK;
  }

  /** Whether an event that brings {@code next} may change a job that is in this state. */
  public boolean canMoveTo(JobStatus next) {
    return next.rank > rank;
  }

  /** The states a job may be in for an event that brings {@code next} to change it (empty for {@code queued}). */
  public static Set<JobStatus> statesThatMayMoveTo(JobStatus next) {
    Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
    for (JobStatus state : values()) {
      if (state.canMoveTo(next)) {
        states.add(state);
      }
    }
    return states;
  }

  /** The states of jobs that are not finished yet (queued or processing). */
  public static Set<JobStatus> unfinished() {
    Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
    for (JobStatus state : values()) {
      if (!state.isFinal()) {
        states.add(state);
      }
    }
    return states;
  }

  /** The final states: completed, failed and cancelled. */
  public static Set<JobStatus> finished() {
    Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
    for (JobStatus state : values()) {
      if (state.isFinal()) {
        states.add(state);
      }
    }
    return states;
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
