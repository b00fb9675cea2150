package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionRequested;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;

/**
 * A worker's hold on its work dir, in a JVM of its own so that StaleJobFoldersTest can kill it: it claims the
 * directory as the worker does when it starts (WorkDirectory), begins a job the way worker-job does
 * (JobWorkspace.create) with half a download in the job's folder, prints the folder, and waits to be killed.
 */
final class DyingWorker {
  private DyingWorker() {}

  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]);
    WorkDirectory directory = WorkDirectory.open(root);
    JobWorkspace workspace = new JobWorkspace(directory.root());
    Path folder = workspace.create(new ConversionRequested(1, UUID.randomUUID().toString(),
        UUID.randomUUID().toString(), "a@example.org", "A", "http://example.org/a.wav", "192k", Instant.now()));
    Files.write(folder.resolve(JobWorkspace.SOURCE_FILE), new byte[1 << 20]);
    System.out.println("job-folder " + folder);
    System.out.flush();
    // Mid-job until killed.
    System.in.read();
  }
}
