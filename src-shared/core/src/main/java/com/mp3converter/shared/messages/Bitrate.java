package com.mp3converter.shared.messages;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The quality a user may ask for: the API's bitrate labels. Which encoder options give each one depends on the
 * format ({@link OutputFormat#encoderOptions}).
 */
public enum Bitrate {
  CBR_128("128k"),
  CBR_192("192k"),
  CBR_256("256k"),
  CBR_320("320k"),
  VBR_0("v0"),
  VBR_2("v2");

  public static final Bitrate DEFAULT = CBR_192;

  private final String label;

  Bitrate(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The bitrate for a label such as {@code 192k} or {@code v0}; empty for anything else. */
  public static Optional<Bitrate> fromLabel(String label) {
    return Arrays.stream(values()).filter(b -> b.label.equals(label)).findFirst();
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Bitrate::label).toList();
  }
}
