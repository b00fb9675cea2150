package com.mp3converter.gateway.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API description of {@code GET /openapi.json}: the hand-written {@code openapi.yaml} of this module (the
 * contract, linted and tested), read once at start and served as JSON. A document that does not parse stops the
 * gateway from starting rather than being served broken.
 */
public final class ApiDocument {
  public static final String RESOURCE = "openapi.yaml";

  private final byte[] json;

  public ApiDocument() {
    try (InputStream yaml = ApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (yaml == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      JsonNode document = new YAMLMapper().readTree(yaml);
      this.json = new ObjectMapper().writeValueAsBytes(document);
    } catch (IOException unreadable) {
      throw new UncheckedIOException(RESOURCE + " is not readable YAML", unreadable);
    }
  }

  /** The document as UTF-8 JSON. */
  public byte[] json() {
    return json.clone();
  }
}
