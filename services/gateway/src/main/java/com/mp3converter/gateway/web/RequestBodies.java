package com.mp3converter.gateway.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import org.apache.camel.Exchange;

/**
 * Request bodies read strictly: bounded in size (413), then parsed with {@link Json#REQUESTS} so unknown fields,
 * wrong types and trailing content are precise 400s (the shared problem mapping describes Jackson's errors).
 */
public final class RequestBodies {
  /** Json.REQUESTS, and a number or boolean is not silently turned into text ({@code "url": 5} is a type error). */
  private static final ObjectMapper MAPPER = strictText(Json.REQUESTS.copy());

  private final int maxBytes;

  public RequestBodies(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The raw body, at most {@code maxBytes} long (the servlet filter already stopped reading just past that). */
  public byte[] read(Exchange exchange) {
    byte[] body = exchange.getIn().getBody(byte[].class);
    if (body == null) {
      return new byte[0];
    }
    if (body.length > maxBytes) {
      throw new ProblemException(
          413, "payload-too-large", "Payload too large", "The request body exceeds " + maxBytes + " bytes.");
    }
    return body;
  }

  public <T> T parse(byte[] body, Class<T> type) throws IOException {
    if (body.length == 0) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    T value = MAPPER.readValue(body, type);
    if (value == null) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    return value;
  }

  public <T> T read(Exchange exchange, Class<T> type) throws IOException {
    return parse(read(exchange), type);
  }

  private static ObjectMapper strictText(ObjectMapper mapper) {
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }
}
