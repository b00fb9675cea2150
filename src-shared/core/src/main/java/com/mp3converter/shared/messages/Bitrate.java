package com.mp3converter.shared.messages;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The MP3 quality a user may ask for, and the libmp3lame options that give it. */
public enum Bitrate {
  CBR_128("128k", List.of("-b:a", "128k")),
  CBR_192("192k", List.of("-b:a", "192k")),
  CBR_256("256k", List.of("-b:a", "256k")),
  CBR_320("320k", List.of("-b:a", "320k")),
  VBR_0("v0", List.of("-q:a", "0")),
  VBR_2("v2", List.of("-q:a", "2"));

  public static final Bitrate DEFAULT = CBR_192;

  private final String label;
  private final List<String> encoderOptions;

  Bitrate(String label, List<String> encoderOptions) {
    this.label = label;
    this.encoderOptions = encoderOptions;
  }

  public String label() {
    return label;
  }

  public List<String> encoderOptions() {
    return encoderOptions;
  }

  /** The bitrate for a label such as {@code 192k} or {@code v0}; empty for anything else. */
  public static Optional<Bitrate> fromLabel(String label) {
    return Arrays.stream(values()).filter(b -> b.label.equals(label)).findFirst();
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Bitrate::label).toList();
  }
}
