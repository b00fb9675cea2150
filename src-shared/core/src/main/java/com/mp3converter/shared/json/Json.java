package com.mp3converter.shared.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The two JSON readers the system needs: lenient for messages (tolerant reader), strict for requests. */
public final class Json {
  /** Messages between services: unknown fields are ignored so a newer producer never breaks an older consumer. */
  public static final ObjectMapper MESSAGES =
      base().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Public request bodies: unknown fields and wrong types are the caller's error and answered with 400. */
  public static final ObjectMapper REQUESTS =
      base()
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
          .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
          .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true);

  private static ObjectMapper base() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  private Json() {}
}
