package com.mp3converter.gateway.conversions;

import com.mp3converter.shared.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where the next page of a user's job list starts: the (createdAt, id) of the last job shown. Keyset paging
 * stays stable while new jobs arrive (no skipped or repeated items, unlike offsets). Opaque to clients.
 */
public record PageCursor(Instant createdAt, UUID id) {
  /** Sorts after every real job, so the first page needs no special query. */
  public static final PageCursor START =
      new PageCursor(Instant.parse("9999-12-31T23:59:59Z"), new UUID(-1L, -1L));

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    String raw = micros + "." + id;
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.US_ASCII));
  }

  public static PageCursor decode(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      int dot = raw.indexOf('.');
      long micros = Long.parseLong(raw.substring(0, dot));
      UUID id = UUID.fromString(raw.substring(dot + 1));
      return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), id);
    } catch (RuntimeException e) {
      throw ProblemException.badRequest("invalid-cursor", "Parameter 'cursor' is not a cursor this API issued.");
    }
  }
}
