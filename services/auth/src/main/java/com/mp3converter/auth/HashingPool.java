package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Bounds the password hashing of logins and registrations together: every Argon2 hash takes 19 MiB and a core
 * for tens of milliseconds, so a burst of requests must not run them all at once. At most {@code threads} hashes
 * run, {@code queue} more wait; one more is refused at once with a 503 problem and Retry-After instead of
 * piling up memory and CPU (a plain bounded executor that aborts, so nothing is retried or run on the caller).
 */
public final class HashingPool implements AutoCloseable {
  private final ThreadPoolExecutor executor;

  /**
   * @param threads hashes running at once; 0 or less means one per available processor
   * @param queue hashes waiting for a thread; 0 means none (a hash runs at once or is refused)
   */
  public HashingPool(int threads, int queue) {
    if (queue < 0) {
      throw new IllegalArgumentException("the hashing queue cannot be negative");
    }
    int size = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    AtomicInteger count = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(size, size, 0, TimeUnit.SECONDS,
        queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
        work -> {
          Thread thread = new Thread(work, "password-hashing-" + count.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        },
        new ThreadPoolExecutor.AbortPolicy());
  }

  /**
   * Runs {@code work} on the pool and waits for its result.
   *
   * @throws ProblemException 503 with Retry-After when every thread is busy and the queue is full
   */
  public <T> T run(Supplier<T> work) {
    Future<T> result;
    try {
      result = executor.submit(work::get);
    } catch (RejectedExecutionException full) {
      throw ProblemException.unavailable(
          "password-hashing-busy", "Too many logins and registrations at once; try again shortly.");
    }
    try {
      return result.get();
    } catch (InterruptedException e) {
      result.cancel(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for a password hash", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Threads hashing now (a gauge). */
  public int running() {
    return executor.getActiveCount();
  }

  /** Hashes waiting for a thread (a gauge). */
  public int queued() {
    return executor.getQueue().size();
  }

  /** Threads in the pool, the most hashes that ever run at once. */
  public int threads() {
    return executor.getMaximumPoolSize();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
