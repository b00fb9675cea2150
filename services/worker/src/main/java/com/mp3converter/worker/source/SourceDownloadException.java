package com.mp3converter.worker.source;

import java.io.IOException;

/**
 * The download of a source failed, told to a step that waited for it to arrive (probe, convert): the cause is the
 * download's own exception, and FailureClassifier judges it as the download step would have.
 */
public class SourceDownloadException extends IOException {
  public SourceDownloadException(Throwable cause) {
    super("The source's download failed: " + cause.getMessage(), cause);
  }
}
