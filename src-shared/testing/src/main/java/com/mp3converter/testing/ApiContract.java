package com.mp3converter.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An OpenAPI 3.1 document taken as the contract for real answers: an answer must have a status the operation
 * documents, a Content-Type it documents for that status, and a JSON body that validates against the schema the
 * document gives it (JSON Schema 2020-12, the dialect of OpenAPI 3.1, with {@code $ref}s resolved within the
 * document). Answers are checked as they came, so a test that drives a journey finds where the running services
 * and the document disagree.
 */
public final class ApiContract {
  /** The document's own identifier for the validator; nothing is ever fetched from it. */
  private static final String DOCUMENT_IRI = "https://api.mp3-converter.invalid/openapi.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final JsonNode document;
  private final SchemaRegistry schemas;

  private ApiContract(String documentJson) throws IOException {
    this.document = JSON.readTree(documentJson);
    // Formats (uuid, date-time, uri, email) are asserted, not only annotated: they are part of the contract.
    this.schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemas(Map.of(DOCUMENT_IRI, documentJson))
            .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
  }

  /** The contract of the OpenAPI document {@code documentJson} (JSON text). */
  public static ApiContract of(String documentJson) throws IOException {
    return new ApiContract(documentJson);
  }

  public JsonNode document() {
    return document;
  }

  /** Fails (AssertionError) unless {@code response} to {@code method pathTemplate} is what the document says. */
  public void assertConforms(String method, String pathTemplate, HttpResponse<String> response) {
    List<String> violations = violations(method, pathTemplate, response.statusCode(),
        response.headers().firstValue("Content-Type").orElse(null), response.body());
    if (!violations.isEmpty()) {
      throw new AssertionError(method + " " + pathTemplate + " answered " + response.statusCode() + " "
          + response.body() + ", not as documented:\n  " + String.join("\n  ", violations));
    }
  }

  /**
   * What is wrong with an answer (none: it conforms). {@code pathTemplate} is the document's path key, e.g.
   * {@code /conversions/{id}}; {@code body} is the answer's text.
   */
  public List<String> violations(String method, String pathTemplate, int status, String contentType, String body) {
    List<String> violations = new ArrayList<>();
    JsonNode operation = document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
    if (operation.isMissingNode()) {
      violations.add("the document has no operation " + method + " " + pathTemplate);
      return violations;
    }
    String statusKey = String.valueOf(status);
    JsonNode responses = operation.path("responses");
    if (!responses.has(statusKey)) {
      statusKey = responses.has(statusKey.charAt(0) + "XX") ? statusKey.charAt(0) + "XX" : "default";
    }
    if (!responses.has(statusKey)) {
      violations.add("status " + status + " is not documented (documented: " + fieldNames(responses) + ")");
      return violations;
    }
    JsonNode response = resolve(responses.get(statusKey));
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      if (body != null && !body.isEmpty()) {
        violations.add("status " + status + " is documented without a body, but one came");
      }
      return violations;
    }
    String mediaType = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    JsonNode documented = content.get(mediaType);
    if (documented == null) {
      violations.add("Content-Type '" + contentType + "' is not documented for status " + status
          + " (documented: " + fieldNames(content) + ")");
      return violations;
    }
    if (!(mediaType.endsWith("/json") || mediaType.endsWith("+json")) || !documented.has("schema")) {
      return violations;
    }
    JsonNode instance;
    try {
      instance = JSON.readTree(body == null ? "" : body);
    } catch (JsonProcessingException notJson) {
      violations.add("the body is not JSON: " + notJson.getOriginalMessage());
      return violations;
    }
    for (Error error : schema(documented.get("schema")).validate(instance)) {
      violations.add("body" + error.getInstanceLocation() + ": " + error.getMessage());
    }
    return violations;
  }

  /** A schema of the document: by its {@code $ref} (all of this API's bodies are components). */
  private Schema schema(JsonNode schema) {
    String ref = schema.path("$ref").asText("");
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("Only component schemas ($ref) are checked, not " + schema);
    }
    return schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + ref));
  }

  /** A response object, following its {@code $ref} within the document. */
  private JsonNode resolve(JsonNode node) {
    String ref = node.path("$ref").asText("");
    return ref.startsWith("#/") ? document.at(ref.substring(1)) : node;
  }

  private static List<String> fieldNames(JsonNode object) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = object.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
