package com.mp3converter.gateway.conversions;

import static com.mp3converter.gateway.ExchangePropertyNames.ORIGINAL;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.downloads.DownloadLinks;
import com.mp3converter.gateway.downloads.Downloads;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;

/**
 * {@code GET /conversions/{id}} and {@code GET /conversions}: the caller's own jobs from {@link Conversions}, as
 * JSON. Another user's job is answered exactly like a job that does not exist (404). A finished job shows when it
 * expires ({@code expiresAt}: its MP3 and record are deleted then); a completed one that has not expired carries
 * its {@code download} (a signed link from {@link DownloadLinks} and what the file is).
 */
public final class ConversionViews {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  private final Conversions conversions;
  private final DownloadLinks links;
  private final Clock clock;

  public ConversionViews(Conversions conversions, DownloadLinks links, Clock clock) {
    this.conversions = conversions;
    this.links = links;
    this.clock = clock;
  }

  /** One job of the caller's ({@code id}: the path parameter); a job the caller deleted is gone (410). */
  public byte[] one(@ExchangeProperty(USER) AccessClaims user, @Header("id") String id)
      throws JsonProcessingException {
    Conversion conversion = conversions.findOwned(jobId(id), UUID.fromString(user.userId()))
        .map(Downloads::notDeleted)
        .orElseThrow(() -> ProblemException.notFound("No conversion with this id."));
    return Json.MESSAGES.writeValueAsBytes(view(conversion));
  }

  /** A page of the caller's jobs, newest first ({@code limit}, {@code cursor}: the query parameters). */
  public byte[] page(@ExchangeProperty(USER) AccessClaims user, @Header("limit") String limitParameter,
      @Header("cursor") String cursorParameter) throws JsonProcessingException {
    int limit = limit(limitParameter);
    PageCursor cursor = cursorParameter == null || cursorParameter.isEmpty()
        ? PageCursor.START
        : PageCursor.decode(cursorParameter);
    // One row more than asked tells whether there is a next page.
    return render(conversions.page(UUID.fromString(user.userId()), cursor, limit + 1), limit);
  }

  /** The page body for {@code rows}, of which at most {@code limit} are shown; one more means a next page. */
  byte[] render(List<Conversion> rows, int limit) throws JsonProcessingException {
    List<Map<String, Object>> items = new ArrayList<>();
    for (int i = 0; i < Math.min(limit, rows.size()); i++) {
      items.add(view(rows.get(i)));
    }
    String next = null;
    if (rows.size() > limit) {
      Conversion last = rows.get(limit - 1);
      next = new PageCursor(last.createdAt(), last.id()).encode();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", items);
    body.put("next", next);
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  Map<String, Object> view(Conversion conversion) {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", conversion.id().toString());
    view.put("status", conversion.status().code());
    view.put("sourceUrl", conversion.sourceUrl());
    view.put("source", source(conversion));
    view.put("bitrate", conversion.bitrate());
    view.put("createdAt", conversion.createdAt().toString());
    view.put("updatedAt", conversion.updatedAt().toString());
    if (conversion.attempts() > 1) {
      view.put("attempts", conversion.attempts());
    }
    if (conversion.status() == JobStatus.PROCESSING) {
      view.put("progress", conversion.progress() == null ? 0 : conversion.progress());
    }
    if (conversion.expiresAt() != null) {
      view.put("expiresAt", conversion.expiresAt().toString());
    }
    if (conversion.status() == JobStatus.COMPLETED) {
      view.put("bytes", conversion.bytes());
      view.put("durationSeconds", conversion.durationSeconds());
      if (!conversion.expiredAt(clock.instant())) {
        view.put("download", links.describe(conversion));
      }
    }
    if (conversion.status() == JobStatus.FAILED) {
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("reason", conversion.errorReason());
      error.put("message", conversion.errorMessage());
      view.put("error", error);
    }
    return view;
  }

  /**
   * Where the job's audio came from: {@code {"type":"url","url":...}} or {@code {"type":"upload","filename":...}}
   * (the file name as the user gave it, sanitised at upload).
   */
  static Map<String, Object> source(Conversion conversion) {
    Map<String, Object> source = new LinkedHashMap<>();
    if (conversion.uploaded()) {
      source.put("type", "upload");
      source.put("filename", conversion.sourceFilename());
    } else {
      source.put("type", "url");
      source.put("url", conversion.sourceUrl());
    }
    return source;
  }

  /** The status document of {@code conversion}, already known to be the caller's (an idempotent replay). */
  public byte[] document(@ExchangeProperty(ORIGINAL) Conversion conversion) throws JsonProcessingException {
    return Json.MESSAGES.writeValueAsBytes(view(conversion));
  }

  /** A job id from the path; anything that is not a UUID cannot name a job, so it is a 404 like any unknown id. */
  public static UUID jobId(String id) {
    try {
      if (id != null && id.length() == 36) {
        return UUID.fromString(id);
      }
    } catch (IllegalArgumentException malformed) {
      // answered below
    }
    throw ProblemException.notFound("No conversion with this id.");
  }

  static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException notANumber) {
      // answered below
    }
    throw ProblemException.badRequest(
        "invalid-limit", "Parameter 'limit' must be a whole number from 1 to " + MAX_LIMIT + ".");
  }
}
