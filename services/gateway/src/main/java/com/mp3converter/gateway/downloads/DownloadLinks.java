package com.mp3converter.gateway.downloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.conversions.Conversion;
import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobStatus;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.DownloadTokens;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;

/**
 * Signed links to a completed job's MP3, bound to the job and its user, expiring with the file (its
 * {@code expires_at}: the job's retention), so a link never outlives what it names: {@code POST
 * /internal/download-links} (the notifier's email) and the {@code download} object of a job's status document.
 */
public final class DownloadLinks {
  /** The request body of the internal API. */
  public record LinkRequest(String conversionId) {}

  /** A link and when it stops working. */
  public record SignedLink(String url, Instant expiresAt) {}

  private final RequestBodies bodies;
  private final DownloadTokens tokens;
  private final Conversions conversions;
  private final String publicUrl;
  private final Clock clock;

  public DownloadLinks(
      RequestBodies bodies, DownloadTokens tokens, Conversions conversions, String publicUrl, Clock clock) {
    this.bodies = bodies;
    this.tokens = tokens;
    this.conversions = conversions;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    this.clock = clock;
  }

  /**
   * {@code {"url","expiresAt"}} for the job the request names: 404 when there is none, 409 until it completed,
   * 410 once its file expired.
   */
  public byte[] issue(@Body byte[] body) throws IOException {
    UUID id = conversionId(bodies.parse(body, LinkRequest.class));
    return link(conversions.find(id).orElseThrow(() -> ProblemException.notFound("No conversion with this id.")));
  }

  static UUID conversionId(LinkRequest request) {
    if (request.conversionId() == null) {
      throw ProblemException.badRequest("invalid-conversion-id", "Field 'conversionId' is required.");
    }
    try {
      return UUID.fromString(request.conversionId());
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("invalid-conversion-id", "Field 'conversionId' must be a job id.");
    }
  }

  byte[] link(Conversion conversion) throws JsonProcessingException {
    Downloads.notDeleted(conversion);
    if (conversion.status() != JobStatus.COMPLETED) {
      throw ProblemException.conflict(
          "not-completed", "The conversion is " + conversion.status().code() + ", not completed.");
    }
    if (conversion.expiredAt(clock.instant())) {
      throw ProblemException.gone(
          "download-expired", "The conversion's file expired at " + conversion.expiresAt() + ".");
    }
    SignedLink link = signed(conversion);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", link.url());
    body.put("expiresAt", link.expiresAt().toString());
    return Json.MESSAGES.writeValueAsBytes(body);
  }

  /**
   * A link to the job's MP3 that expires with the file. (A row without an expiry, written by a gateway older than
   * retention, gets a link of the configured lifetime.)
   */
  public SignedLink signed(Conversion conversion) {
    String jobId = conversion.id().toString();
    String userId = conversion.userId().toString();
    DownloadTokens.Issued issued = conversion.expiresAt() == null
        ? tokens.issue(jobId, userId)
        : tokens.issue(jobId, userId, conversion.expiresAt());
    return new SignedLink(publicUrl + "/downloads/" + issued.token(), issued.expiresAt());
  }

  /**
   * The {@code download} object of a completed job's status document: {@code {"url","expiresAt","bytes",
   * "durationSeconds","filename"}}, the link expiring with the file.
   */
  public Map<String, Object> describe(Conversion conversion) {
    SignedLink link = signed(conversion);
    Map<String, Object> download = new LinkedHashMap<>();
    download.put("url", link.url());
    download.put("expiresAt", link.expiresAt().toString());
    download.put("bytes", conversion.bytes());
    download.put("durationSeconds", conversion.durationSeconds());
    download.put("filename", conversion.downloadFilename(OutputFormat.DEFAULT));
    return download;
  }
}
