package com.mp3converter.gateway.downloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.conversions.Conversion;
import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.JobStatus;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.DownloadTokens;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Body;

/** {@code POST /internal/download-links}: a signed link for a completed job, bound to the job and its user. */
public final class DownloadLinks {
  /** The request body of the internal API. */
  public record LinkRequest(String conversionId) {}

  private final RequestBodies bodies;
  private final DownloadTokens tokens;
  private final Conversions conversions;
  private final String publicUrl;

  public DownloadLinks(RequestBodies bodies, DownloadTokens tokens, Conversions conversions, String publicUrl) {
    this.bodies = bodies;
    this.tokens = tokens;
    this.conversions = conversions;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  /** {@code {"url","expiresAt"}} for the job the request names: 404 when there is none, 409 until it completed. */
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
    if (conversion.status() != JobStatus.COMPLETED) {
      throw ProblemException.conflict(
          "not-completed", "The conversion is " + conversion.status().code() + ", not completed.");
    }
    DownloadTokens.Issued issued = tokens.issue(conversion.id().toString(), conversion.userId().toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", publicUrl + "/downloads/" + issued.token());
    body.put("expiresAt", issued.expiresAt().toString());
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
