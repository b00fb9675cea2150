package com.mp3converter.k8s;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** YAML in and out as generic trees (the policy checks read trees; the schema check types them). */
final class Yaml {
  static final YAMLMapper YAML = YAMLMapper.builder(new YAMLFactory())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .build();
  static final ObjectMapper JSON = JsonMapper.builder().build();

  private Yaml() {}

  /** Every non-empty document of a multi-document YAML stream. */
  static List<JsonNode> documents(String text) {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(text)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.size() > 0) {
          docs.add(doc);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  static JsonNode document(String text) {
    List<JsonNode> docs = documents(text);
    if (docs.size() != 1) {
      throw new IllegalArgumentException("expected one YAML document, found " + docs.size());
    }
    return docs.get(0);
  }

  static String write(JsonNode node) {
    try {
      return YAML.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String json(JsonNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
