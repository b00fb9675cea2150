package com.mp3converter.gateway.downloads;

import com.mp3converter.shared.messages.OutputFormat;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The file name offered in {@code Content-Disposition}: the source URL's last path segment with the output
 * format's extension, reduced to {@code [A-Za-z0-9._-]} so no quote, slash, control character or non-ASCII byte from a
 * user's URL ever reaches a response header; the job id when nothing usable is left.
 */
public final class DownloadFilenames {
  static final int MAX_BASE_LENGTH = 100;

  private DownloadFilenames() {}

  public static String of(String sourceUrl, String jobId, OutputFormat format) {
    String base = sanitise(stripExtension(lastSegment(sourceUrl)));
    if (base.length() > MAX_BASE_LENGTH) {
      base = trim(base.substring(0, MAX_BASE_LENGTH));
    }
    return format.fileName(base.isEmpty() ? jobId : base);
  }

  static String lastSegment(String sourceUrl) {
    // An uploaded source has no URL: the job id names the file. (Follow-up: name it after the upload's
    // sourceFilename, with the tags work that moves this class to src-shared.)
    if (sourceUrl == null) {
      return "";
    }
    try {
      String path = URI.create(sourceUrl).getRawPath();
      if (path == null) {
        return "";
      }
      int slash = path.lastIndexOf('/');
      String segment = path.substring(slash + 1);
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

  /** Runs of anything outside [A-Za-z0-9._-] become one underscore; no leading or trailing dots or separators. */
  static String sanitise(String name) {
    return trim(name.replaceAll("[^A-Za-z0-9._-]+", "_"));
  }

  /** No leading dots (hidden files, "..") and no dangling separators. */
  private static String trim(String name) {
    return name.replaceAll("^[._-]+", "").replaceAll("[._-]+$", "");
  }
}
