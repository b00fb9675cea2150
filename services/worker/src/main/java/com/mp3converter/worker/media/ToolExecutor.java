package com.mp3converter.worker.media;

import org.apache.camel.component.exec.ExecCommand;
import org.apache.camel.component.exec.impl.DefaultExecCommandExecutor;
import org.apache.commons.exec.DefaultExecutor;

/**
 * Runs ffprobe and ffmpeg for camel-exec (the routes name it: {@code commandExecutor=#toolExecutor}) exactly as
 * camel-exec does, timeout watchdog included, but without its shutdown-hook process destroyer. That destroyer
 * kills every running tool the moment the JVM receives SIGTERM, in parallel with Spring's own shutdown, so the
 * conversion that graceful shutdown is waiting for would die at once and end as a failed job. Without it the
 * running conversion finishes within the shutdown grace period (WorkerConfiguration) and is acknowledged; a
 * worker that is killed outright takes its tools with it (its container goes), and the job is redelivered.
 */
public final class ToolExecutor extends DefaultExecCommandExecutor {
  @Override
  protected DefaultExecutor prepareDefaultExecutor(ExecCommand command) {
    DefaultExecutor executor = super.prepareDefaultExecutor(command);
    executor.setProcessDestroyer(null);
    return executor;
  }
}
