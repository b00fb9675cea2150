package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.worker.BrokenOffStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source arriving into its file while readers follow it: what they read is what arrived, in order; they wait
 * for more instead of seeing an end; a failed or abandoned download fails them and whoever waits for its end, with
 * the download's own exception, never an early end of input.
 */
class SourceArrivalTest {
  @TempDir Path dir;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final PipedOutputStream wire = new PipedOutputStream();
  private final AtomicLong downloaded = new AtomicLong(-1);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private SourceArrival arrival(InputStream body, long maxBytes) throws IOException {
    return SourceArrival.start(body, dir.resolve("source"), maxBytes, executor, downloaded::set);
  }

  private PipedInputStream body() throws IOException {
    return new PipedInputStream(wire, 1 << 16);
  }

  @Test
  void aReaderFollowsTheSourceAsItArrivesAndEndsWhereItEnds() throws Exception {
    SourceArrival arrival = arrival(body(), 1 << 20);
    InputStream follower = arrival.follow();
    CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
      try {
        return follower.readAllBytes();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, executor);

    wire.write("first ".getBytes());
    wire.flush();
    assertThat(read).as("a reader waits for more, it does not end at what has arrived").isNotDone();
    wire.write("second".getBytes());
    wire.close();

    assertThat(new String(read.get(10, TimeUnit.SECONDS))).isEqualTo("first second");
    assertThat(arrival.awaitEnd()).isEqualTo(12);
    assertThat(arrival.arrivedWhole()).isTrue();
    assertThat(Files.readString(dir.resolve("source"))).isEqualTo("first second");
    assertThat(downloaded.get()).isEqualTo(12);
  }

  @Test
  void theHeadIsThereOnceItsBytesArrivedOrTheDownloadEnded() throws Exception {
    SourceArrival arrival = arrival(new java.io.ByteArrayInputStream(new byte[100]), 1 << 20);
    arrival.awaitHead();
    assertThat(arrival.ended()).isTrue();
    assertThat(arrival.arrivedWhole()).isTrue();
  }

  /**
   * The job goes on at the head only when it could start ffmpeg at once; a job that would wait for an encoder
   * anyway waits for its whole source (probed once, read from the file).
   */
  @Test
  void aJobGoesOnAtTheHeadOnlyWhenAnEncoderIsFree() throws Exception {
    com.mp3converter.worker.WorkerCapacity capacity = new com.mp3converter.worker.WorkerCapacity(1, 1);
    SourceDownload download = new SourceDownload(null, null, 1 << 30, null, executor, true, capacity);

    SourceArrival free = arrival(body(), 1 << 30);
    CompletableFuture<Boolean> wholeAtStart = CompletableFuture.supplyAsync(() -> awaitStart(download, free), executor);
    wire.write(new byte[(int) SourceArrival.HEAD_BYTES + 300 * 1024]);
    assertThat(wholeAtStart.get(10, TimeUnit.SECONDS)).as("an encoder is free: on at the head").isFalse();
    wire.close();
    free.awaitEnd();

    capacity.takeEncoder();
    PipedOutputStream secondWire = new PipedOutputStream();
    Files.delete(dir.resolve("source"));
    SourceArrival busy = arrival(new PipedInputStream(secondWire, 1 << 16), 1 << 30);
    wholeAtStart = CompletableFuture.supplyAsync(() -> awaitStart(download, busy), executor);
    secondWire.write(new byte[(int) SourceArrival.HEAD_BYTES + 300 * 1024]);
    secondWire.close();
    assertThat(wholeAtStart.get(10, TimeUnit.SECONDS)).as("every encoder busy: on with the whole source").isTrue();
  }

  private static boolean awaitStart(SourceDownload download, SourceArrival arrival) {
    try {
      download.awaitStart(arrival);
      return arrival.arrivedWhole();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailedDownloadFailsItsReaderAndWhoeverWaitsForItsEndWithItsOwnException() throws Exception {
    IOException reset = new IOException("Connection reset");
    InputStream failing = new BrokenOffStream(1000, reset);
    SourceArrival arrival = arrival(failing, 1 << 20);
    InputStream follower = arrival.follow();

    assertThatThrownBy(follower::readAllBytes).as("never an early end of input").isSameAs(reset);
    assertThatThrownBy(arrival::awaitEnd).isInstanceOf(SourceDownloadException.class).hasCause(reset);
    assertThat(arrival.arrivedWhole()).isFalse();
    assertThat(downloaded.get()).as("only a whole download is counted").isEqualTo(-1);
  }

  @Test
  void aBodyOverTheCapFailsAsTooLargeAndAnEmptyOneAsNotAudio() throws Exception {
    SourceArrival large = arrival(new java.io.ByteArrayInputStream(new byte[101]), 100);
    assertThatThrownBy(large::awaitEnd).hasCauseInstanceOf(SourceTooLargeException.class);

    Files.delete(dir.resolve("source"));
    SourceArrival empty = arrival(InputStream.nullInputStream(), 100);
    assertThatThrownBy(empty::awaitEnd).hasCauseInstanceOf(ConversionException.class);
  }

  @Test
  void anAbandonedDownloadIsStoppedAndItsReaderFails() throws Exception {
    // Closed like a guarded HTTP body: a read blocked on it ends (here the pipe's far end is closed with it).
    PipedInputStream body = new PipedInputStream(wire, 1 << 16) {
      @Override
      public void close() throws IOException {
        wire.close();
        super.close();
      }
    };
    SourceArrival arrival = arrival(body, 1 << 20);
    // The arrival writes a quarter MiB at a time: the reader sees the first of it once it is all there.
    InputStream follower = arrival.follow();
    CompletableFuture<byte[]> first = CompletableFuture.supplyAsync(() -> {
      try {
        return follower.readNBytes(10);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, executor);
    wire.write(new byte[300 * 1024]);
    assertThat(first.get(10, TimeUnit.SECONDS)).hasSize(10);

    arrival.close();

    assertThatThrownBy(follower::readAllBytes).as("what arrived, then a failure: never an end")
        .isInstanceOf(IOException.class);
    assertThatThrownBy(arrival::awaitEnd).isInstanceOf(SourceDownloadException.class);
    assertThatThrownBy(() -> wire.write(1)).as("the body was closed under the download").isInstanceOf(IOException.class);
  }

  @Test
  void aRefusedReaderFailsWhileTheDownloadGoesOn() throws Exception {
    SourceArrival arrival = arrival(body(), 1 << 20);
    SourceArrival.FollowingStream follower = arrival.follow();
    CompletableFuture<Integer> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return follower.read();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }, executor);

    follower.refuse(new IllegalStateException("the whole source asks for other arguments"));

    assertThatThrownBy(() -> waiting.get(10, TimeUnit.SECONDS)).hasRootCauseMessage(
        "the whole source asks for other arguments");
    wire.write("all of it".getBytes());
    wire.close();
    assertThat(arrival.awaitEnd()).isEqualTo(9);
  }
}
