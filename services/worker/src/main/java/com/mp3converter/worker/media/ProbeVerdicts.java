package com.mp3converter.worker.media;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads ffprobe's JSON ({@code -print_format json -show_format -show_streams}) and judges it. */
public final class ProbeVerdicts {
  /**
   * ffmpeg's AVPROBE_SCORE_RETRY: at or below it ffprobe itself warns that the format may be misdetected,
   * e.g. a few stray bytes that happen to look like an MPEG frame.
   */
  static final int MIN_PROBE_SCORE = 26;
  /** Largest attached picture, in pixels a side, that is decoded to be carried over (when pictures are allowed). */
  static final int MAX_PICTURE_SIDE = 4096;

  private ProbeVerdicts() {}

  /**
   * The source is a single audio file of an accepted container whose first audio stream has an accepted codec,
   * no longer than {@code maxDurationSeconds}.
   *
   * @throws ConversionException {@code not_audio} or {@code too_long}
   */
  public static SourceMedia source(String json, long maxDurationSeconds) {
    JsonNode root = parse(json, FailureReason.NOT_AUDIO);
    JsonNode format = root.path("format");
    String formatName = format.path("format_name").asText("");
    String inputFormat = MediaFormats.inputFormat(formatName)
        .orElseThrow(() -> notAudio("The container '" + formatName + "' is not accepted."));
    int score = format.path("probe_score").asInt(0);
    if (score < MIN_PROBE_SCORE) {
      throw notAudio("The container was recognised with a score of only " + score + ".");
    }
    JsonNode audio = null;
    for (JsonNode stream : root.path("streams")) {
      if ("audio".equals(stream.path("codec_type").asText())) {
        audio = stream;
        break;
      }
    }
    if (audio == null) {
      throw notAudio("The file has no audio stream.");
    }
    String codec = audio.path("codec_name").asText("");
    if (!MediaFormats.isAudioCodec(codec)) {
      throw notAudio("The audio codec '" + codec + "' is not accepted.");
    }
    Double duration = seconds(format.path("duration"));
    if (duration == null) {
      duration = seconds(audio.path("duration"));
    }
    if (duration != null && duration > maxDurationSeconds) {
      throw new ConversionException(
          FailureReason.TOO_LONG, "The recording lasts " + Math.round(duration) + " s, more than " + maxDurationSeconds + " s.");
    }
    return new SourceMedia(inputFormat, codec, duration,
        TrackTags.from(tags(format.path("tags")), tags(audio.path("tags"))), picture(root.path("streams")));
  }

  /** A tag map as ffprobe prints it: text values only (anything else is not a tag we could carry). */
  static Map<String, String> tags(JsonNode tags) {
    Map<String, String> map = new LinkedHashMap<>();
    tags.fields().forEachRemaining(tag -> {
      if (tag.getValue().isTextual()) {
        map.put(tag.getKey(), tag.getValue().asText());
      }
    });
    return map;
  }

  /**
   * The index of the first attached picture (a video stream with the attached_pic disposition) no larger than
   * {@link #MAX_PICTURE_SIDE} pixels a side; null when there is none such. Larger pictures are never decoded.
   */
  static Integer picture(JsonNode streams) {
    for (JsonNode stream : streams) {
      if ("video".equals(stream.path("codec_type").asText())
          && stream.path("disposition").path("attached_pic").asInt(0) == 1) {
        int width = stream.path("width").asInt(0);
        int height = stream.path("height").asInt(0);
        boolean bounded = width > 0 && height > 0 && width <= MAX_PICTURE_SIDE && height <= MAX_PICTURE_SIDE;
        return bounded && stream.path("index").canConvertToInt() ? stream.path("index").asInt() : null;
      }
    }
    return null;
  }

  private static JsonNode parse(String json, FailureReason reason) {
    try {
      JsonNode root = json == null ? null : Json.MESSAGES.readTree(json);
      if (root == null || !root.isObject()) {
        throw new ConversionException(reason, "ffprobe gave no result.");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw new ConversionException(reason, "ffprobe gave an unreadable result.", e);
    }
  }

  /** ffprobe writes durations as decimal strings, or "N/A" when unknown. */
  private static Double seconds(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      double value = Double.parseDouble(node.asText());
      return Double.isFinite(value) && value >= 0 ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static ConversionException notAudio(String detail) {
    return new ConversionException(FailureReason.NOT_AUDIO, detail);
  }
}
