package com.mp3converter.gateway.uploads;

import com.mp3converter.shared.problem.ProblemException;
import java.io.IOException;
import org.apache.tomcat.util.http.fileupload.FileUploadException;
import org.apache.tomcat.util.http.fileupload.impl.FileCountLimitExceededException;
import org.apache.tomcat.util.http.fileupload.impl.SizeException;

/**
 * The problems an upload's multipart body can have, each a precise 4xx: too large (413, the body passed
 * MP3_MAX_UPLOAD_BYTES), malformed or cut off (400), parts the API does not take (400). A body the client stopped
 * sending is answered like a truncated one; the answer is rarely read, but it is never a 500.
 */
public final class MultipartProblems {
  private MultipartProblems() {}

  public static ProblemException tooLarge(long maxBytes) {
    return new ProblemException(413, "upload-too-large", "Upload too large",
        "The upload is larger than " + maxBytes + " bytes; nothing was stored.");
  }

  /** What a failure while reading the multipart body means to the client. */
  public static ProblemException from(IOException failure, long maxBytes) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof UploadTooLargeException) {
        return tooLarge(maxBytes);
      }
      if (t instanceof FileCountLimitExceededException) {
        return invalid("The body has too many parts; send 'file' and optionally 'bitrate'.");
      }
      if (t instanceof SizeException) {
        return invalid("A part's headers are too large.");
      }
    }
    if (failure instanceof FileUploadException || failure.getCause() instanceof FileUploadException) {
      return invalid("The multipart body is malformed or incomplete.");
    }
    return invalid("The multipart body ended before it was complete.");
  }

  public static ProblemException invalid(String detail) {
    return ProblemException.badRequest("invalid-multipart", detail);
  }

  public static ProblemException missingFile() {
    return ProblemException.badRequest("missing-file", "Part 'file' (the audio, with a filename) is required.");
  }

  public static ProblemException invalidFilename(String detail) {
    return ProblemException.badRequest("invalid-filename", detail);
  }

  public static ProblemException unknownPart(String name) {
    return ProblemException.badRequest("unknown-part",
        "Unknown part" + (name == null ? "" : " '" + printable(name) + "'") + "; only 'file' and 'bitrate' are accepted.");
  }

  public static ProblemException notAudio() {
    return new ProblemException(415, "not-audio", "Not audio",
        "The uploaded file is not an audio or video file ffmpeg can read.");
  }

  /** A part name as it may appear in a problem: short, printable ASCII only. */
  static String printable(String name) {
    StringBuilder shown = new StringBuilder();
    name.chars().limit(40).forEach(c -> shown.append(c >= 0x20 && c < 0x7f && c != '\'' ? (char) c : '?'));
    return shown.toString();
  }
}
