package com.mp3converter.shared.problem;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body. {@code type} is a relative URI naming the kind of problem; clients branch
 * on it, people read {@code title} and {@code detail}. Never carries stack traces, SQL or file paths.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String slug, String title, String detail) {
    return new Problem("/problems/" + slug, title, status, detail, null);
  }
}
