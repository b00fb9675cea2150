package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.ConversionRequested;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each attempt at a job gets a private folder (owner-only permissions) under the work dir; it holds the two
 * files we name ourselves, {@code source} and {@code output}, and is removed when the attempt ends, whatever
 * happened. Neither name has an extension: ffprobe and ffmpeg are told the formats, never left to guess them.
 * What a worker that died left behind is removed when the next one starts (WorkDirectory).
 */
public final class JobWorkspace {
  public static final String SOURCE_FILE = "source";
  public static final String OUTPUT_FILE = "output";
  /** Job folders are {@code job-<jobId>-<random>}. */
  static final String FOLDER_PREFIX = "job-";

  private static final Logger LOG = LoggerFactory.getLogger(JobWorkspace.class);

  private final Path root;

  public JobWorkspace(Path root) {
    this.root = root;
  }

  /** A new folder for an attempt at the job, which worker-job keeps as {@link JobKeys#JOB_DIR}. */
  public Path create(@ExchangeProperty(JobKeys.JOB) ConversionRequested job) throws IOException {
    Files.createDirectories(root);
    // The job id is a validated UUID, so the folder name is ours too.
    return Files.createTempDirectory(root, folderPrefix(job.jobId()));
  }

  /** The start of the name of every folder of this job (the tools running in it are the job's). */
  public static String folderPrefix(String jobId) {
    return FOLDER_PREFIX + jobId + "-";
  }

  public void remove(@ExchangeProperty(JobKeys.JOB_DIR) Path dir) {
    if (dir == null) {
      return;
    }
    try {
      deleteTree(dir);
    } catch (IOException e) {
      LOG.warn("Could not remove the job folder {}: {}", dir, e.toString());
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Files.walkFileTree(dir, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
        Files.deleteIfExists(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
        if (e instanceof NoSuchFileException) {
          return FileVisitResult.CONTINUE;
        }
        throw e;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
        if (e != null) {
          throw e;
        }
        Files.deleteIfExists(d);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
