package com.mp3converter.shared.messages;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The kind of file a conversion produces. Whatever depends on it reads it from here: the file name extension
 * (object keys, the worker's output file, download names), the content type served and stored, the ffmpeg
 * encoder and muxer, the encoder options that give each {@link Bitrate}, the output size cap, and the name users
 * read in emails. Adding a format is adding a value.
 */
public enum OutputFormat {
  MP3("MP3", "mp3", "audio/mpeg", "libmp3lame", "mp3",
      // 320 kbit/s is 40,000 B/s; V0 stays below it. The rest is room for frame headers.
      41_000,
      Map.of(
          Bitrate.CBR_128, List.of("-b:a", "128k"),
          Bitrate.CBR_192, List.of("-b:a", "192k"),
          Bitrate.CBR_256, List.of("-b:a", "256k"),
          Bitrate.CBR_320, List.of("-b:a", "320k"),
          // LAME's variable-bitrate presets V0 and V2.
          Bitrate.VBR_0, List.of("-q:a", "0"),
          Bitrate.VBR_2, List.of("-q:a", "2")));

  /** What every job is converted to: the job message names no format (design.md's contract). */
  public static final OutputFormat DEFAULT = MP3;

  private final String displayName;
  private final String extension;
  private final String contentType;
  private final String encoder;
  private final String muxer;
  private final long maxBytesPerSecond;
  private final Map<Bitrate, List<String>> encoderOptions;

  OutputFormat(String displayName, String extension, String contentType, String encoder, String muxer,
      long maxBytesPerSecond, Map<Bitrate, List<String>> encoderOptions) {
    this.displayName = displayName;
    this.extension = extension;
    this.contentType = contentType;
    this.encoder = encoder;
    this.muxer = muxer;
    this.maxBytesPerSecond = maxBytesPerSecond;
    this.encoderOptions = new EnumMap<>(encoderOptions);
  }

  /** The format's name in sentences users read ("Your MP3 is ready"). */
  public String displayName() {
    return displayName;
  }

  /** File name extension, without the dot. */
  public String extension() {
    return extension;
  }

  /** The media type of the stored object and of downloads. */
  public String contentType() {
    return contentType;
  }

  /** ffmpeg's audio encoder ({@code -c:a}). */
  public String encoder() {
    return encoder;
  }

  /**
   * ffmpeg's muxer ({@code -f}) for writing the file; also the only demuxer ffprobe may use to read it back,
   * and the {@code format_name} it then reports.
   */
  public String muxer() {
    return muxer;
  }

  /** Bytes per second of the largest file this format is written at (the highest bitrate, with headroom). */
  public long maxBytesPerSecond() {
    return maxBytesPerSecond;
  }

  /** The encoder options that give {@code bitrate} in this format. */
  public List<String> encoderOptions(Bitrate bitrate) {
    List<String> options = encoderOptions.get(bitrate);
    if (options == null) {
      throw new IllegalArgumentException(displayName + " has no encoder options for " + bitrate.label());
    }
    return options;
  }

  /** {@code base} with this format's extension. */
  public String fileName(String base) {
    return base + "." + extension;
  }
}
