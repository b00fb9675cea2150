package com.mp3converter.gateway.downloads;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.gateway.conversions.JobStatus;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.DownloadTokens;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;

/** {@code POST /internal/download-links}: a signed link for a completed job, bound to the job and its user. */
public final class DownloadLinks {
  /** The request body of the internal API. */
  public record LinkRequest(String conversionId) {}

  private final RequestBodies bodies;
  private final DownloadTokens tokens;
  private final String publicUrl;

  public DownloadLinks(RequestBodies bodies, DownloadTokens tokens, String publicUrl) {
    this.bodies = bodies;
    this.tokens = tokens;
    this.publicUrl = publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
  }

  public Map<String, Object> findParameters(Exchange exchange) throws IOException {
    LinkRequest request = bodies.read(exchange, LinkRequest.class);
    if (request.conversionId() == null) {
      throw ProblemException.badRequest("invalid-conversion-id", "Field 'conversionId' is required.");
    }
    try {
      return Map.of("id", UUID.fromString(request.conversionId()));
    } catch (IllegalArgumentException e) {
      throw ProblemException.badRequest("invalid-conversion-id", "Field 'conversionId' must be a job id.");
    }
  }

  public byte[] issue(List<Map<String, Object>> rows) throws JsonProcessingException {
    if (rows == null || rows.isEmpty()) {
      throw ProblemException.notFound("No conversion with this id.");
    }
    Map<String, Object> row = rows.get(0);
    if (!JobStatus.COMPLETED.code().equals(row.get("status"))) {
      throw ProblemException.conflict("not-completed", "The conversion is " + row.get("status") + ", not completed.");
    }
    DownloadTokens.Issued issued = tokens.issue(row.get("id").toString(), row.get("user_id").toString());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("url", publicUrl + "/downloads/" + issued.token());
    body.put("expiresAt", issued.expiresAt().toString());
    return Json.MESSAGES.writeValueAsBytes(body);
  }
}
