package com.mp3converter.shared.messages;

/** Names of the RabbitMQ topology that every service agrees on (the contract in design.md). */
public final class Topology {
  public static final String EXCHANGE = "conversions";

  public static final String REQUESTED = "conversion.requested";
  public static final String STARTED = "conversion.started";
  public static final String COMPLETED = "conversion.completed";
  public static final String FAILED = "conversion.failed";
  /** A job the user cancelled (gateway to every worker instance: a broadcast, see {@link #workerCancelQueue}). */
  public static final String CANCEL = "conversion.cancel";
  /** How far a running conversion got (worker to gateway; transient, at most one a second per job). */
  public static final String PROGRESS = "conversion.progress";

  /** An email about an account (verify the address, already registered, password reset), from auth's outbox. */
  public static final String ACCOUNT_EMAIL = "account.email";
  /** An account was deleted in auth: the other services delete what they hold of the user. */
  public static final String ACCOUNT_DELETED = "account.deleted";

  public static final String WORKER_QUEUE = "worker.conversions";
  public static final String NOTIFIER_QUEUE = "notifier.events";
  public static final String GATEWAY_STATUS_QUEUE = "gateway.status";
  public static final String NOTIFIER_ACCOUNTS_QUEUE = "notifier.accounts";
  public static final String GATEWAY_ACCOUNTS_QUEUE = "gateway.accounts";

  /** Prefix of each worker instance's own cancel queue (exclusive, auto-delete, bound to {@link #CANCEL}). */
  public static final String WORKER_CANCEL_QUEUE_PREFIX = "worker.cancel.";

  private Topology() {}

  /**
   * The cancel queue of one worker instance: every instance has its own, so a cancellation reaches all of them
   * (the job may run on any), unlike the competing consumers of {@link #WORKER_QUEUE}.
   */
  public static String workerCancelQueue(String instanceId) {
    return WORKER_CANCEL_QUEUE_PREFIX + instanceId;
  }
}
