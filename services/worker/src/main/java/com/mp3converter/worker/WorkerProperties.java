package com.mp3converter.worker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The worker's part of the {@code mp3.*} tree (worker.yaml binds every environment name to it). S3 and RabbitMQ
 * settings are read by the routes' endpoint URIs directly and are not repeated here.
 *
 * @param maxSourceBytes largest source accepted, counted on the wire (MP3_MAX_SOURCE_BYTES)
 * @param maxDurationSeconds longest recording accepted and the ffmpeg {@code -t} cap (MP3_MAX_DURATION_SECONDS)
 * @param allowPrivateSources relaxes only the address check, for local runs and tests (MP3_ALLOW_PRIVATE_SOURCES)
 * @param id3Pictures whether a source's attached picture (cover art) is carried into the MP3, re-encoded and
 *     bounded (MP3_ID3_PICTURES, default false: decoding a stranger's image is attack surface nobody asked for)
 */
@ConfigurationProperties("mp3")
public record WorkerProperties(
    Ffmpeg ffmpeg,
    Source source,
    Worker worker,
    long maxSourceBytes,
    long maxDurationSeconds,
    boolean allowPrivateSources,
    boolean id3Pictures) {

  public WorkerProperties {
    if (maxSourceBytes <= 0 || maxDurationSeconds <= 0) {
      throw new IllegalArgumentException("mp3.max-source-bytes and mp3.max-duration-seconds must be positive");
    }
  }

  /**
   * @param path the ffmpeg executable (MP3_FFMPEG_PATH), a bare name is looked up on the PATH
   * @param ffprobePath the ffprobe executable (MP3_FFPROBE_PATH); empty means "the ffprobe next to ffmpeg"
   * @param timeout wall-clock limit of one conversion; ffmpeg is stopped when it is reached
   * @param probeTimeout wall-clock limit of one ffprobe run
   * @param killGrace how long a tool stopped at its limit has after SIGTERM before it gets SIGKILL
   */
  public record Ffmpeg(String path, String ffprobePath, Duration timeout, Duration probeTimeout, Duration killGrace) {
    public String effectiveFfprobePath() {
      if (ffprobePath != null && !ffprobePath.isBlank()) {
        return ffprobePath;
      }
      int slash = path.lastIndexOf('/');
      return slash < 0 ? "ffprobe" : path.substring(0, slash + 1) + "ffprobe";
    }
  }

  /**
   * How sources are fetched.
   *
   * @param allowedPorts ports a source URL may name (MP3_SOURCE_PORTS, default 80 and 443)
   * @param connectTimeout TCP (and TLS) connect limit
   * @param readTimeout longest silence between two reads of the response
   * @param totalTimeout longest a single request may take, from before its connection is made (DNS, connect) to
   *     the last byte of its body
   * @param maxRedirects redirects followed (each hop re-checked) before the job fails
   * @param maxHeaderBytes most bytes of response head (status lines and headers, interim responses included) one
   *     connection may send
   * @param maxHeaderLines most header lines in one response
   */
  public record Source(
      Set<Integer> allowedPorts,
      Duration connectTimeout,
      Duration readTimeout,
      Duration totalTimeout,
      int maxRedirects,
      String userAgent,
      int maxHeaderBytes,
      int maxHeaderLines) {}

  /**
   * @param concurrency jobs that run ffmpeg at once; 0 or less means one per available processor
   * @param jobsAhead jobs in hand beyond those, downloading, probing or uploading meanwhile (WorkerCapacity)
   * @param workDir where per-job folders live; what a dead worker left there is removed when a worker starts
   *     (WorkDirectory)
   * @param retry passing failures (source 5xx, timeouts, storage down) are retried this way before the job fails
   * @param encodeWhileDownloading whether ffmpeg starts on a source still arriving once its head passed the probe
   *     (MP3_ENCODE_WHILE_DOWNLOADING, default true; EarlyStart), instead of after the whole download
   */
  public record Worker(int concurrency, int jobsAhead, Path workDir, Retry retry, boolean encodeWhileDownloading) {
    public int effectiveConcurrency() {
      return concurrency > 0 ? concurrency : Runtime.getRuntime().availableProcessors();
    }
  }

  /** @param maxAttempts attempts in all (the first included); the delays themselves are in the route */
  public record Retry(int maxAttempts) {}
}
