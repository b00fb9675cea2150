package com.mp3converter.gateway.downloads;

import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One byte range of an object (RFC 9110 section 14): {@code bytes=a-b}, {@code bytes=a-} or {@code bytes=-n}.
 * Range headers the gateway does not serve (other units, several ranges, malformed ones) are ignored, as the
 * RFC allows, and the whole object is sent; a well-formed range outside the object is a 416.
 */
public record ByteRange(long start, long end, long total) {
  private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");

  public long length() {
    return end - start + 1;
  }

  /** The {@code Content-Range} value of a 206. */
  public String contentRange() {
    return "bytes " + start + "-" + end + "/" + total;
  }

  /**
   * The range to send for a {@code Range} header over an object of {@code total} bytes; empty means the whole
   * object with 200.
   *
   * @throws ProblemException 416 (with {@code Content-Range: bytes * /total}) when the range lies outside the object
   */
  public static Optional<ByteRange> parse(String header, long total) {
    if (header == null) {
      return Optional.empty();
    }
    Matcher m = SINGLE.matcher(header.strip());
    if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
      return Optional.empty();
    }
    try {
      if (m.group(1).isEmpty()) {
        long suffix = Long.parseLong(m.group(2));
        if (suffix == 0 || total == 0) {
          throw unsatisfiable(total);
        }
        return Optional.of(new ByteRange(Math.max(0, total - suffix), total - 1, total));
      }
      long start = Long.parseLong(m.group(1));
      Long last = m.group(2).isEmpty() ? null : Long.parseLong(m.group(2));
      if (last != null && last < start) {
        return Optional.empty();
      }
      if (start >= total) {
        throw unsatisfiable(total);
      }
      long end = last == null ? total - 1 : Math.min(last, total - 1);
      return Optional.of(new ByteRange(start, end, total));
    } catch (NumberFormatException tooLarge) {
      return Optional.empty();
    }
  }

  private static ProblemException unsatisfiable(long total) {
    return new ProblemException(
        Problem.of(416, "range-not-satisfiable", "Range not satisfiable",
            "The requested range lies outside the file (" + total + " bytes)."),
        Map.of("Content-Range", "bytes */" + total));
  }
}
