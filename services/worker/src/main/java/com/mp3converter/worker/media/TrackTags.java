package com.mp3converter.worker.media;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tags carried from a source into its MP3 (ID3v2.3): title, artist, album, track and year, each a stranger's
 * text, so each is sanitised here before ffmpeg writes it. Text only: any run of whitespace (line breaks, tabs,
 * line and paragraph separators included) becomes one space; other control characters (NUL, escapes), format
 * characters (bidi overrides and isolates, zero-width spaces, BOMs; only the zero-width joiner that emoji sequences
 * need stays), lone surrogates, private-use and unassigned characters are removed; and a value keeps at most
 * {@link #MAX_LENGTH} characters (never half a surrogate pair). The track is a number or "n/m", the year four
 * digits; anything else, and every value left empty, is dropped. Every other tag of the source is dropped.
 *
 * @param title null when absent
 * @param artist null when absent
 * @param album null when absent
 * @param track "n" or "n/m", null when absent
 * @param year four digits, null when absent
 */
public record TrackTags(String title, String artist, String album, String track, String year) {
  /** Longest value kept, in characters (UTF-16 units, so a value stays well under ID3's frame limits). */
  public static final int MAX_LENGTH = 200;
  /** Longer raw values are cut before they are looked at, so a 10 MB tag costs no more than a normal one. */
  static final int MAX_RAW_LENGTH = 4 * MAX_LENGTH;

  public static final TrackTags NONE = new TrackTags(null, null, null, null, null);

  private static final Pattern TRACK = Pattern.compile("0*(\\d{1,4})(?:\\s*/\\s*0*(\\d{1,4}))?");
  private static final Pattern YEAR = Pattern.compile("(\\d{4})(?:[-/.T ].*)?");
  /** The zero-width joiner is a format character that emoji sequences need; it carries no direction or hidden text. */
  private static final int ZERO_WIDTH_JOINER = 0x200D;

  /**
   * The tags from ffprobe's tag maps, keys compared without case ("TITLE", "title"): the container's first, then
   * the audio stream's for what the container lacks (FLAC and Ogg keep theirs on the stream).
   */
  public static TrackTags from(Map<String, String> containerTags, Map<String, String> streamTags) {
    Map<String, String> tags = new LinkedHashMap<>();
    lowerCased(containerTags, tags);
    lowerCased(streamTags, tags);
    return new TrackTags(
        text(tags.get("title")),
        text(tags.get("artist")),
        text(tags.get("album")),
        track(first(tags.get("track"), tags.get("tracknumber"))),
        year(first(tags.get("date"), tags.get("year"))));
  }

  /**
   * The tags as ffmpeg's metadata keys (its ID3v2.3 writer turns {@code date} into TYER), in a fixed order, absent
   * ones left out.
   */
  public Map<String, String> ffmpegMetadata() {
    Map<String, String> metadata = new LinkedHashMap<>();
    put(metadata, "title", title);
    put(metadata, "artist", artist);
    put(metadata, "album", album);
    put(metadata, "track", track);
    put(metadata, "date", year);
    return metadata;
  }

  /** Text only, bounded; null when nothing is left. */
  static String text(String raw) {
    if (raw == null) {
      return null;
    }
    String bounded = raw.length() > MAX_RAW_LENGTH ? raw.substring(0, MAX_RAW_LENGTH) : raw;
    StringBuilder text = new StringBuilder(bounded.length());
    boolean space = false;
    for (int i = 0; i < bounded.length(); ) {
      int c = bounded.codePointAt(i);
      i += Character.charCount(c);
      if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
        space = text.length() > 0;
      } else if (kept(c)) {
        if (space) {
          text.append(' ');
          space = false;
        }
        text.appendCodePoint(c);
      }
    }
    return cut(text.toString());
  }

  static String track(String raw) {
    String text = text(raw);
    if (text == null) {
      return null;
    }
    Matcher matcher = TRACK.matcher(text);
    if (!matcher.matches() || Integer.parseInt(matcher.group(1)) == 0) {
      return null;
    }
    String number = Integer.toString(Integer.parseInt(matcher.group(1)));
    if (matcher.group(2) == null || Integer.parseInt(matcher.group(2)) == 0) {
      return number;
    }
    return number + "/" + Integer.parseInt(matcher.group(2));
  }

  /** Four digits, from a year or a date that starts with one ("2019-05-01"). */
  static String year(String raw) {
    String text = text(raw);
    if (text == null) {
      return null;
    }
    Matcher matcher = YEAR.matcher(text);
    return matcher.matches() ? matcher.group(1) : null;
  }

  private static boolean kept(int c) {
    if (c == ZERO_WIDTH_JOINER) {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
          Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED -> false;
      default -> true;
    };
  }

  /** At most {@link #MAX_LENGTH} characters, not ending in half a surrogate pair or a space; null when empty. */
  private static String cut(String text) {
    String cut = text;
    if (cut.length() > MAX_LENGTH) {
      int end = Character.isHighSurrogate(cut.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
      cut = cut.substring(0, end);
    }
    cut = cut.strip();
    return cut.isEmpty() ? null : cut;
  }

  private static void lowerCased(Map<String, String> from, Map<String, String> into) {
    if (from != null) {
      from.forEach((key, value) -> {
        if (key != null && value != null) {
          into.putIfAbsent(key.toLowerCase(Locale.ROOT), value);
        }
      });
    }
  }

  private static String first(String a, String b) {
    return a != null && !a.isBlank() ? a : b;
  }

  private static void put(Map<String, String> metadata, String key, String value) {
    if (value != null) {
      metadata.put(key, value);
    }
  }
}
