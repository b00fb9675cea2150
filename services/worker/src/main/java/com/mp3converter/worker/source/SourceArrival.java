package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;

/**
 * A source's body arriving into the job folder on a thread of its own, so that ffprobe and ffmpeg can start on
 * what has arrived while the rest is still on its way (download.camel.yaml, convert.camel.yaml). The body is
 * written to disk once, as it comes off the wire; readers follow the file ({@link #follow}) up to what has been
 * written, and learn at the end whether the download succeeded: a failed download is never mistaken for the end of
 * the source.
 *
 * <p>Whoever waits for the end ({@link #awaitEnd}) gets the download's own exception (source too large, deadline,
 * network), so it fails the job with the same reason as a download the job waited for. {@link #close} stops a
 * download still under way (the job ended another way): its connection is aborted.
 */
public final class SourceArrival implements AutoCloseable {
  /**
   * What ffprobe is first shown of a source still arriving: enough for the header of every accepted container
   * (ffprobe reads ahead up to 5 MB where it needs to; a verdict it cannot give on the head waits for the rest).
   */
  public static final long HEAD_BYTES = 1 << 20;
  /**
   * The body is written (and its readers woken) this much at a time, or less at its end: a socket read returns a
   * few KiB, and waking ffmpeg's feeder for each would cost more CPU than the encoder can spare on a small machine.
   */
  private static final int CHUNK = 256 * 1024;

  private final Path file;
  private final long maxBytes;
  private final InputStream body;
  private final LongConsumer downloaded;
  private Future<?> copier;

  // Guarded by this.
  private long arrived;
  private boolean ended;
  private Exception failure;

  private SourceArrival(InputStream body, Path file, long maxBytes, LongConsumer downloaded) {
    this.body = Objects.requireNonNull(body);
    this.file = file;
    this.maxBytes = maxBytes;
    this.downloaded = downloaded;
  }

  /**
   * Starts writing {@code body} into {@code file} on one of {@code executor}'s threads.
   *
   * @param maxBytes the source cap: a body that reached the disk beyond it fails (the guarded stream stops it on
   *     the wire already)
   * @param downloaded told the size of a body that arrived whole
   */
  public static SourceArrival start(InputStream body, Path file, long maxBytes, ExecutorService executor,
      LongConsumer downloaded) throws IOException {
    SourceArrival arrival = new SourceArrival(body, file, maxBytes, downloaded);
    // Created here, on the job's thread: a reader may open it before the first byte has arrived.
    Files.newOutputStream(file, StandardOpenOption.CREATE_NEW).close();
    arrival.copier = executor.submit(arrival::copy);
    return arrival;
  }

  private void copy() {
    long size = 0;
    try (InputStream in = body; OutputStream out = Files.newOutputStream(file, StandardOpenOption.WRITE)) {
      byte[] chunk = new byte[CHUNK];
      for (int n = in.readNBytes(chunk, 0, CHUNK); n > 0; n = in.readNBytes(chunk, 0, CHUNK)) {
        // Unbuffered: each write is in the file (the page cache) before a reader is told of it.
        out.write(chunk, 0, n);
        size += n;
        arrived(size);
      }
      // The guarded stream already stopped the transfer at the cap; this holds even if the body came another way.
      if (size > maxBytes) {
        throw new SourceTooLargeException(maxBytes);
      }
      if (size == 0) {
        throw new ConversionException(FailureReason.NOT_AUDIO, "The source answered with an empty body.");
      }
      downloaded.accept(size);
      end(null);
    } catch (Exception e) {
      end(e);
    }
  }

  private synchronized void arrived(long size) {
    arrived = size;
    notifyAll();
  }

  private synchronized void end(Exception e) {
    if (!ended) {
      ended = true;
      failure = e;
      notifyAll();
    }
  }

  /** Whether the download ended, however it ended. */
  public synchronized boolean ended() {
    return ended;
  }

  /** Whether the whole source is in the file (the download ended, and ended well). */
  public synchronized boolean arrivedWhole() {
    return ended && failure == null;
  }

  /** Returns once the first {@link #HEAD_BYTES} are in the file, or the download ended (however it ended). */
  public synchronized void awaitHead() throws InterruptedException {
    while (!ended && arrived < HEAD_BYTES) {
      wait();
    }
  }

  /**
   * Returns once the download ended well, with the source's size; a failed download throws a {@link
   * SourceDownloadException} with the download's own exception as its cause (the job fails with the download's
   * reason, whichever step waited).
   */
  public long awaitEnd() throws SourceDownloadException, InterruptedException {
    synchronized (this) {
      while (!ended) {
        wait();
      }
      if (failure == null) {
        return arrived;
      }
      throw new SourceDownloadException(failure);
    }
  }

  /**
   * The source as it arrives: reads block until more has been written, end where the download ended well, and
   * fail where it failed (so a reader never takes a cut-off source for a whole one).
   */
  public FollowingStream follow() throws IOException {
    return new FollowingStream(FileChannel.open(file, StandardOpenOption.READ));
  }

  /** Stops a download still under way (its connection is aborted) and waits for its thread to let go. */
  @Override
  public void close() {
    synchronized (this) {
      if (ended) {
        return;
      }
    }
    end(new InterruptedIOException("The job no longer needs its source."));
    try {
      // Closing a guarded body before its end aborts the connection, which ends a read blocked on it.
      body.close();
    } catch (IOException | RuntimeException e) {
      // Nothing more to do for it: the copier ends either way.
    }
    try {
      copier.get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
      copier.cancel(true);
    }
  }

  /**
   * A reader of the arriving file. {@link #refuse} makes its next read fail (whoever feeds it to a tool then
   * stops the tool rather than letting it see an end).
   */
  public final class FollowingStream extends InputStream {
    private final FileChannel channel;
    private long position;
    private volatile Exception refused;

    private FollowingStream(FileChannel channel) {
      this.channel = channel;
    }

    /** Makes every later read fail with {@code reason}, and wakes a read waiting for more. */
    public void refuse(Exception reason) {
      refused = reason;
      synchronized (SourceArrival.this) {
        SourceArrival.this.notifyAll();
      }
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      Objects.checkFromIndexSize(offset, length, buffer.length);
      if (length == 0) {
        return 0;
      }
      long available = awaitMore();
      if (available < 0) {
        return -1;
      }
      int n = channel.read(ByteBuffer.wrap(buffer, offset, (int) Math.min(length, available)), position);
      if (n < 0) {
        throw new IOException("The source file is shorter than what was written to it.");
      }
      position += n;
      return n;
    }

    /** Bytes that can be read now, -1 at the end of a source that arrived whole; throws for a failed one. */
    private long awaitMore() throws IOException {
      Exception failed;
      synchronized (SourceArrival.this) {
        try {
          while (refused == null && position >= arrived && !ended) {
            SourceArrival.this.wait();
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("Interrupted while waiting for the source.");
        }
        if (refused != null) {
          throw new IOException("The source is no longer read: " + refused.getMessage(), refused);
        }
        if (position < arrived) {
          return arrived - position;
        }
        if (failure == null) {
          return -1;
        }
        failed = failure;
      }
      throw failed instanceof IOException io ? io : new IOException("The source's download failed.", failed);
    }

    @Override
    public void close() throws IOException {
      channel.close();
    }
  }
}
