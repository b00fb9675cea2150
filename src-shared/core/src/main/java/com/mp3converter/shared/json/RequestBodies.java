package com.mp3converter.shared.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import org.apache.camel.Exchange;

/**
 * The one way public request bodies are read, in every service: bounded in size (413), then checked as a whole
 * document against depth and length caps, then bound strictly with {@link Json#REQUESTS} (unknown fields, wrong
 * types, duplicate keys and trailing content are precise 400s; the shared problem mapping describes Jackson's
 * errors). Reading the whole tree first means a limit is enforced wherever in the document it is broken, not
 * only where the binding happens to look before it gives up.
 */
public final class RequestBodies {
  /** Far above any valid body: the largest is a 2,048-character URL or a 128-character password and a name. */
  public static final int DEFAULT_MAX_BYTES = 16 * 1024;
  /** Every body of the API is one flat object (depth 1); a little room, no more. */
  public static final int MAX_DEPTH = 8;
  /** Longest string value; no field of the API takes more than 2,048 characters (a URL). */
  public static final int MAX_STRING_LENGTH = 4096;
  /** Longest field name; the API's longest is 12 characters, and unknown names are echoed in the 400. */
  public static final int MAX_NAME_LENGTH = 64;
  /** Longest number literal; no field of the API is a number, this only bounds what is parsed. */
  public static final int MAX_NUMBER_LENGTH = 32;

  private static final ObjectMapper MAPPER = limited(Json.REQUESTS.copy());

  private final int maxBytes;

  public RequestBodies() {
    this(DEFAULT_MAX_BYTES);
  }

  public RequestBodies(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  /**
   * The raw body of a request, at most {@code maxBytes} long; empty when there is none. (The gateway's servlet
   * filter stops reading just past the cap, so an endless body never reaches memory.)
   */
  public byte[] read(Exchange exchange) {
    byte[] body = exchange.getIn().getBody(byte[].class);
    if (body == null) {
      return new byte[0];
    }
    checkSize(body);
    return body;
  }

  public <T> T read(Exchange exchange, Class<T> type) throws IOException {
    return parse(read(exchange), type);
  }

  /**
   * @param body the raw body; null (no body at all) is refused like an empty one
   * @throws ProblemException 413 over the size cap; 400 {@code json-too-deep} or {@code field-too-long} past the
   *     structural caps; 400 {@code invalid-json} for an empty body or {@code null}
   * @throws IOException Jackson's own parse and binding errors (400 {@code invalid-json} via the problem mapping)
   */
  public <T> T parse(byte[] body, Class<T> type) throws IOException {
    if (body == null || body.length == 0) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    checkSize(body);
    JsonNode tree;
    try {
      tree = MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw limitExceeded(e);
    }
    if (tree == null || tree.isMissingNode() || tree.isNull()) {
      throw ProblemException.badRequest("invalid-json", "A JSON object is required as the request body.");
    }
    return MAPPER.treeToValue(tree, type);
  }

  private void checkSize(byte[] body) {
    if (body.length > maxBytes) {
      throw new ProblemException(
          413, "payload-too-large", "Payload too large", "The request body exceeds " + maxBytes + " bytes.");
    }
  }

  /**
   * Jackson names the broken limit only in its message; the unit tests pin each message, so a Jackson upgrade that
   * rewords one fails there rather than here.
   */
  private static ProblemException limitExceeded(StreamConstraintsException e) {
    String message = String.valueOf(e.getOriginalMessage());
    if (message.contains("nesting depth")) {
      return ProblemException.badRequest(
          "json-too-deep", "The request body nests deeper than " + MAX_DEPTH + " levels.");
    }
    return ProblemException.badRequest("field-too-long", "A field name, text or number in the request body is too "
        + "long (names up to " + MAX_NAME_LENGTH + " characters, text up to " + MAX_STRING_LENGTH + ").");
  }

  private static ObjectMapper limited(ObjectMapper mapper) {
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_DEPTH)
        .maxStringLength(MAX_STRING_LENGTH)
        .maxNameLength(MAX_NAME_LENGTH)
        .maxNumberLength(MAX_NUMBER_LENGTH)
        .build());
    // {"url":"a","url":"b"}: two readers of one body must never disagree about what it says.
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    return mapper;
  }
}
