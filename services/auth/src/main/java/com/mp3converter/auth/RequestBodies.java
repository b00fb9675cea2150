package com.mp3converter.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;

/**
 * Reads request bodies strictly: unknown fields, wrong types, trailing content and oversized bodies are the
 * caller's error. Jackson's parse errors are turned into precise 400s by the shared problem mapping.
 */
public final class RequestBodies {
  /** Far above any valid body (the largest is a 128-character password and a 100-character name). */
  static final int MAX_BYTES = 16 * 1024;

  /** Numbers or booleans are not accepted where text is expected: {@code "password": 12345678} is a type error. */
  private static final ObjectMapper MAPPER = Json.REQUESTS;

  public RegisterRequest register(byte[] body) throws IOException {
    return read(body, RegisterRequest.class);
  }

  public LoginRequest login(byte[] body) throws IOException {
    return read(body, LoginRequest.class);
  }

  private static <T> T read(byte[] body, Class<T> type) throws IOException {
    if (body == null || body.length == 0) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    if (body.length > MAX_BYTES) {
      throw new ProblemException(
          413, "payload-too-large", "Payload too large", "The request body exceeds " + MAX_BYTES + " bytes.");
    }
    T value = MAPPER.readValue(body, type);
    if (value == null) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    return value;
  }
}
