package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.job.PermanentFailureException;

/**
 * The source sent more response head than {@link ResponseHeadLimits} allows (too many bytes, lines, or one line
 * too long). Not retried: a server that floods its headers does so again.
 */
public class SourceHeadersTooLargeException extends PermanentFailureException {
  public SourceHeadersTooLargeException(int maxBytes, int maxLines, Throwable cause) {
    super(FailureReason.SOURCE_UNREACHABLE,
        "The source sent more than " + maxBytes + " bytes or " + maxLines + " lines of headers.");
    initCause(cause);
  }
}
