package com.mp3converter.shared.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any failure into the problem a client should see; the unexpected ones become an opaque 500. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);

  private Problems() {}

  public static ProblemException from(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ProblemException p) {
        return p;
      }
      if (t instanceof JsonProcessingException json) {
        return ProblemException.badRequest("invalid-json", describe(json));
      }
    }
    String reference = UUID.randomUUID().toString();
    LOG.error("Unexpected failure, reference {}", reference, failure);
    return new ProblemException(
        500, "internal-error", "Internal error", "An unexpected error occurred (reference " + reference + ").");
  }

  private static String describe(JsonProcessingException json) {
    if (json instanceof UnrecognizedPropertyException unknown) {
      return "Unknown field '" + unknown.getPropertyName() + "'.";
    }
    if (json instanceof InvalidFormatException || json instanceof MismatchedInputException) {
      String path = ((MismatchedInputException) json).getPath().stream()
          .map(ref -> ref.getFieldName() != null ? ref.getFieldName() : "[" + ref.getIndex() + "]")
          .collect(Collectors.joining("."));
      return path.isEmpty()
          ? "The request body does not have the expected JSON shape."
          : "Field '" + path + "' is missing or has the wrong type.";
    }
    return "The request body is not valid JSON.";
  }
}
