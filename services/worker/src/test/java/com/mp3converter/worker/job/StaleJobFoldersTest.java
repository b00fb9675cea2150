package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker killed in the middle of a job (SIGKILL: no shutdown hook, no finally block) leaves its job folder
 * behind; the next worker to start on the same work dir removes it before it takes a job. The worker that dies
 * is a JVM of its own (DyingWorker) holding the work dir and a job exactly as the worker does, so what is left
 * and what the operating system releases are real; the restart is the claim the worker's context makes when it
 * starts (WorkDirectory, bean workDirectory).
 */
class StaleJobFoldersTest {
  @TempDir
  Path work;

  private Process worker;

  @AfterEach
  void killTheWorker() throws InterruptedException {
    if (worker != null && worker.isAlive()) {
      worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void whatAWorkerKilledMidJobLeftIsRemovedWhenTheNextOneStarts() throws Exception {
    Path folder = startAWorkerWithAJob();

    kill();

    assertThat(folder).as("left behind by the crash").isDirectory();
    try (WorkDirectory restarted = WorkDirectory.open(work)) {
      assertThat(jobFolders()).isEmpty();
    }
  }

  /** Workers may share a work dir: one that starts beside a running one leaves that one's job alone. */
  @Test
  void aWorkerStartingBesideARunningOneLeavesItsJobAlone() throws Exception {
    Path folder = startAWorkerWithAJob();

    try (WorkDirectory second = WorkDirectory.open(work)) {
      assertThat(folder.resolve(JobWorkspace.SOURCE_FILE)).isRegularFile();
    }

    kill();
    try (WorkDirectory afterTheCrash = WorkDirectory.open(work)) {
      assertThat(jobFolders()).isEmpty();
    }
  }

  @Test
  void aStartOnAnEmptyOrMissingDirectoryCreatesIt() throws Exception {
    Path missing = work.resolve("not-there-yet");

    try (WorkDirectory directory = WorkDirectory.open(missing)) {
      assertThat(directory.root()).isDirectory();
    }
  }

  private Path startAWorkerWithAJob() throws IOException {
    worker = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        DyingWorker.class.getName(), work.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    assertThat(line).as("the worker began its job").startsWith("job-folder ");
    Path folder = Path.of(line.substring("job-folder ".length()));
    assertThat(folder).isDirectory().hasParent(work);
    return folder;
  }

  /** SIGKILL, as a crash or an OOM kill does. */
  private void kill() throws InterruptedException {
    worker.destroyForcibly();
    assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
  }

  private List<Path> jobFolders() throws IOException {
    try (Stream<Path> entries = Files.list(work)) {
      return entries.filter(p -> p.getFileName().toString().startsWith(JobWorkspace.FOLDER_PREFIX)).toList();
    }
  }
}
