package com.mp3converter.shared.json;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The two JSON readers the system needs: lenient for messages (tolerant reader), strict for requests. */
public final class Json {
  /** Messages between services: unknown fields are ignored so a newer producer never breaks an older consumer. */
  public static final ObjectMapper MESSAGES =
      base().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** Public request bodies: unknown fields and wrong types are the caller's error and answered with 400. */
  public static final ObjectMapper REQUESTS = strictRequests();

  private static ObjectMapper strictRequests() {
    ObjectMapper mapper = base()
        .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
        .configure(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES, true)
        .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
        .configure(MapperFeature.ALLOW_COERCION_OF_SCALARS, false);
    // A number or boolean where text is expected is a client mistake, not something to quietly stringify.
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    return mapper;
  }

  private static ObjectMapper base() {
    return new ObjectMapper()
        .registerModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
  }

  private Json() {}
}
