package com.mp3converter.shared.messages;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.regex.Pattern;

/**
 * The one rule for the name a converted file is offered under ({@code Content-Disposition}, the status document's
 * {@code download.filename}): the source's title when it has one, else the source's own name, else the job id,
 * with the output format's extension. The worker applies it when a job completes ({@code conversion.completed}
 * carries the result); the gateway applies it to rows of jobs whose event did not.
 *
 * <p>The "source name" is whatever named the source: the last segment of a source URL's path
 * ({@link #urlSourceName}) or the file name an upload came with. Either is a stranger's text, so every name is
 * reduced to {@code [A-Za-z0-9._-]} (accents dropped first, so "Für Elise" keeps its letters): no quote, slash,
 * control character or non-ASCII byte ever reaches a response header or a file system, and no name starts with a
 * dot.
 */
public final class DownloadFilenames {
  /** Longest base name, without the extension. */
  public static final int MAX_BASE_LENGTH = 100;
  /** Longer input is cut before it is looked at, so a hostile 10 MB title costs no more than a normal one. */
  static final int MAX_INPUT_LENGTH = 1_000;

  private static final Pattern COMBINING_MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern UNSAFE_RUNS = Pattern.compile("[^A-Za-z0-9._-]+");
  private static final Pattern SAFE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,200}");

  private DownloadFilenames() {}

  /**
   * @param title the source's title tag, or null
   * @param sourceName the source's own name (a URL's last path segment, an upload's file name), or null; its
   *     extension is dropped
   * @param fallback the name when neither leaves anything usable (the job id)
   */
  public static String of(String title, String sourceName, String fallback, OutputFormat format) {
    String base = base(title);
    if (base.isEmpty()) {
      base = base(stripExtension(bounded(sourceName)));
    }
    return format.fileName(base.isEmpty() ? fallback : base);
  }

  /** The name for a job known only by its source URL (no title): its last path segment, else the job id. */
  public static String ofUrl(String sourceUrl, String jobId, OutputFormat format) {
    return of(null, urlSourceName(sourceUrl), jobId, format);
  }

  /** Whether {@code filename} is one this rule could have made (a check on names that arrive in messages). */
  public static boolean isSafe(String filename) {
    return filename != null && SAFE_NAME.matcher(filename).matches();
  }

  /** The source name of a URL: its last path segment, percent-decoded; empty when there is none. */
  public static String urlSourceName(String sourceUrl) {
    if (sourceUrl == null) {
      return "";
    }
    try {
      String path = URI.create(sourceUrl).getRawPath();
      if (path == null) {
        return "";
      }
      String segment = path.substring(path.lastIndexOf('/') + 1);
      return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return "";
    }
  }

  /** Drops the extension; a dot before an (encoded) separator or at the start does not begin one. */
  static String stripExtension(String name) {
    int dot = name.lastIndexOf('.');
    int separator = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return dot > separator + 1 ? name.substring(0, dot) : name;
  }

  private static String base(String name) {
    String base = sanitise(bounded(name));
    return base.length() > MAX_BASE_LENGTH ? trim(base.substring(0, MAX_BASE_LENGTH)) : base;
  }

  private static String bounded(String name) {
    if (name == null) {
      return "";
    }
    return name.length() > MAX_INPUT_LENGTH ? name.substring(0, MAX_INPUT_LENGTH) : name;
  }

  /**
   * Accents become their base letters; then runs of anything outside [A-Za-z0-9._-] become one underscore; no
   * leading or trailing dots or separators.
   */
  static String sanitise(String name) {
    String letters = COMBINING_MARKS.matcher(Normalizer.normalize(name, Normalizer.Form.NFKD)).replaceAll("");
    return trim(UNSAFE_RUNS.matcher(letters).replaceAll("_"));
  }

  /** No leading dots (hidden files, "..") and no dangling separators. */
  private static String trim(String name) {
    return name.replaceAll("^[._-]+", "").replaceAll("[._-]+$", "");
  }
}
