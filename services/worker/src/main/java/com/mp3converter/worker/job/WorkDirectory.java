package com.mp3converter.worker.job;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's data directory (mp3.worker.work-dir): the job folders. A job removes its own folder however it
 * ends (JobWorkspace), but a worker that is killed, or that runs out of shutdown grace, leaves its folders behind,
 * and in a pod the data directory outlives a restarted container. So a worker removes them when it starts, before
 * it takes a job.
 *
 * <p>Several workers on one machine may share the directory (the default is under the system temp dir), and a
 * starting worker must not remove the folders of one that is running. Every running worker therefore holds a
 * shared lock on {@value #LOCK_FILE}; a starting worker removes what is there only if it can take that lock
 * exclusively, that is when no other worker uses the directory. The operating system drops a process's locks
 * when it dies, SIGKILL included, so a crash never blocks the clean-up.
 */
public final class WorkDirectory implements AutoCloseable {
  static final String LOCK_FILE = ".worker.lock";

  private static final Logger LOG = LoggerFactory.getLogger(WorkDirectory.class);

  private final Path root;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private WorkDirectory(Path root, FileChannel lockChannel, FileLock lock) {
    this.root = root;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /** Claims {@code root} for this worker: removes what dead workers left in it, unless another one runs. */
  public static WorkDirectory open(Path root) throws IOException {
    Files.createDirectories(root);
    FileChannel channel = FileChannel.open(root.resolve(LOCK_FILE),
        StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    try {
      FileLock exclusive = tryLock(channel, false);
      if (exclusive != null) {
        int removed = removeLeftovers(root);
        if (removed > 0) {
          LOG.info("Removed {} job folders that a stopped worker left in {}", removed, root);
        }
        exclusive.release();
      } else {
        LOG.info("Another worker is using {}: its job folders are left alone", root);
      }
      return new WorkDirectory(root, channel, tryLock(channel, true));
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  public Path root() {
    return root;
  }

  /** Null when the lock is held by another owner in this very JVM (a second context on the same directory). */
  private static FileLock tryLock(FileChannel channel, boolean shared) throws IOException {
    try {
      return channel.tryLock(0, Long.MAX_VALUE, shared);
    } catch (OverlappingFileLockException heldInThisJvm) {
      return null;
    }
  }

  /** Job folders ({@code job-*}); returns how many were removed. */
  private static int removeLeftovers(Path root) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> jobs = Files.newDirectoryStream(root, JobWorkspace.FOLDER_PREFIX + "*")) {
      for (Path job : jobs) {
        JobWorkspace.deleteTree(job);
        removed++;
      }
    }
    return removed;
  }

  @Override
  public void close() throws IOException {
    try {
      if (lock != null) {
        lock.release();
      }
    } finally {
      lockChannel.close();
    }
  }
}
