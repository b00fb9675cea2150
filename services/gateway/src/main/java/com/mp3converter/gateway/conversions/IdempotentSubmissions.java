package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.IDEMPOTENCY;
import static com.mp3converter.gateway.ExchangePropertyNames.JOB;
import static com.mp3converter.gateway.ExchangePropertyNames.UPLOAD;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.mp3converter.gateway.conversions.IdempotencyKeys.IdempotencyRecord;
import com.mp3converter.gateway.uploads.Upload;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code Idempotency-Key} on {@code POST /conversions}: within {@link #WINDOW} the same key with the same request
 * answers the job the first request made (200, its status document), the same key with another request is a 422.
 * A request is compared by its fingerprint, SHA-256 over its normalized content: the URL and bitrate the intake
 * accepted (so whitespace and field order do not matter), or the uploaded file's digest, its file name and bitrate.
 *
 * <p>The key is checked before any work ({@link #earlier}) and recorded in one statement once the job is stored and
 * admitted ({@link #claim}): of two concurrent requests with one key, the one that loses the race has its job
 * removed and gets a 409 (the first one is still in progress), so one key never makes two jobs.
 */
public final class IdempotentSubmissions {
  public static final String HEADER = "Idempotency-Key";
  /** How long a key names its job. */
  public static final Duration WINDOW = Duration.ofHours(24);
  /** Longest key accepted (a UUID is 36); keys are visible ASCII only. */
  public static final int MAX_KEY_LENGTH = 255;

  /** A submission's key and its request's fingerprint (hex SHA-256). */
  public record Request(String key, String fingerprint) {}

  private final IdempotencyKeys keys;
  private final Conversions conversions;
  private final Clock clock;

  public IdempotentSubmissions(IdempotencyKeys keys, Conversions conversions, Clock clock) {
    this.keys = keys;
    this.conversions = conversions;
    this.clock = clock;
  }

  /** The key of a JSON submission and its fingerprint; null without the header. */
  public Request forUrl(@Header(HEADER) String key, @ExchangeProperty(JOB) ConversionRequested job) {
    return request(key, "url", job.sourceUrl(), job.bitrate());
  }

  /** The key of an upload and its fingerprint (the file's bytes by their digest); null without the header. */
  public Request forUpload(@Header(HEADER) String key, @ExchangeProperty(UPLOAD) Upload upload) {
    return request(key, "upload", upload.sha256(), upload.filename(), upload.bitrate().label());
  }

  static Request request(String key, String... normalized) {
    if (key == null) {
      return null;
    }
    checkKey(key);
    return new Request(key, sha256(String.join("\n", normalized)));
  }

  static void checkKey(String key) {
    boolean visibleAscii = key.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    if (key.isEmpty() || key.length() > MAX_KEY_LENGTH || !visibleAscii) {
      throw ProblemException.badRequest("invalid-idempotency-key", "Header '" + HEADER + "' must be 1 to "
          + MAX_KEY_LENGTH + " visible ASCII characters.");
    }
  }

  /**
   * The job an earlier request with this key made, if it is within {@link #WINDOW} and was the same request; null
   * when the key is new (or none was given).
   *
   * @throws ProblemException 422 when the key was used for another request
   */
  public Conversion earlier(@ExchangeProperty(USER) AccessClaims user, @ExchangeProperty(IDEMPOTENCY) Request request) {
    if (request == null) {
      return null;
    }
    UUID userId = UUID.fromString(user.userId());
    Optional<IdempotencyRecord> used = keys.find(userId, request.key(), now().minus(WINDOW));
    if (used.isEmpty()) {
      return null;
    }
    if (!used.get().fingerprint().equals(request.fingerprint())) {
      throw reusedKey();
    }
    return conversions.findOwned(used.get().jobId(), userId).orElse(null);
  }

  /**
   * Records the key for the stored job. A key another request holds (a concurrent one: {@link #earlier} found none)
   * removes this job again, which was never published, and answers 409, or 422 when that request was another one.
   */
  public void claim(@ExchangeProperty(USER) AccessClaims user, @ExchangeProperty(IDEMPOTENCY) Request request,
      @ExchangeProperty(JOB) ConversionRequested job) {
    if (request == null) {
      return;
    }
    Instant now = now();
    UUID userId = UUID.fromString(user.userId());
    UUID jobId = UUID.fromString(job.jobId());
    if (keys.claim(new IdempotencyRecord(userId, request.key(), request.fingerprint(), jobId, now), now.minus(WINDOW))) {
      return;
    }
    conversions.delete(jobId);
    Optional<IdempotencyRecord> holder = keys.find(userId, request.key(), now.minus(WINDOW));
    if (holder.isPresent() && !holder.get().fingerprint().equals(request.fingerprint())) {
      throw reusedKey();
    }
    throw ProblemException.conflict("idempotency-key-in-use",
        "A request with this Idempotency-Key is still in progress; retry it shortly to get its job.");
  }

  /** Frees the key of a job the broker refused (it is marked failed), so a retry with the same key is a new job. */
  public void release(@ExchangeProperty(JOB) ConversionRequested job) {
    keys.release(UUID.fromString(job.jobId()));
  }

  private static ProblemException reusedKey() {
    return new ProblemException(422, "idempotency-key-reused", "Idempotency-Key reused",
        "This Idempotency-Key was used for a different request in the last 24 hours; use a new key.");
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MICROS);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
