package com.mp3converter.worker.source;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One deadline for one source request, from before its connection is made (DNS and connect included) to the
 * last byte of its body. Checking the clock between reads is not enough: a read blocks until the next byte, and
 * a server that drips its status line or headers keeps every read short. So the deadline is also an alarm that
 * aborts the connection (the {@code abort} callback) when it goes off, whatever the request is waiting for;
 * whoever then sees the connection fail asks {@link #passed()} and reports {@link SourceDeadlineException}.
 */
final class ResponseDeadline {
  private final long deadlineNanos;
  private final long budgetSeconds;
  private final LongSupplier nanoTime;
  private volatile boolean expired;
  private volatile ScheduledFuture<?> alarm;

  ResponseDeadline(Duration budget, LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
    this.deadlineNanos = nanoTime.getAsLong() + budget.toNanos();
    this.budgetSeconds = budget.toSeconds();
  }

  /** Sets the alarm: at the deadline {@code abort} runs on the timer's thread. */
  void arm(ScheduledExecutorService timer, Runnable abort) {
    long delay = Math.max(0, deadlineNanos - nanoTime.getAsLong());
    alarm = timer.schedule(() -> {
      expired = true;
      abort.run();
    }, delay, TimeUnit.NANOSECONDS);
  }

  /** The response is over (its body read or closed, or the request failed): no alarm any more. */
  void disarm() {
    ScheduledFuture<?> set = alarm;
    if (set != null) {
      set.cancel(false);
    }
  }

  boolean passed() {
    return expired || nanoTime.getAsLong() - deadlineNanos >= 0;
  }

  SourceDeadlineException exceeded(Throwable cause) {
    SourceDeadlineException exceeded = new SourceDeadlineException(budgetSeconds);
    if (cause != null) {
      exceeded.initCause(cause);
    }
    return exceeded;
  }
}
