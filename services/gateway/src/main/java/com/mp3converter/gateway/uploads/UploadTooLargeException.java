package com.mp3converter.gateway.uploads;

import java.io.IOException;

/** Thrown by an upload's body stream when the client sends more than MP3_MAX_UPLOAD_BYTES. */
public final class UploadTooLargeException extends IOException {
  public UploadTooLargeException(long maxBytes) {
    super("upload body over " + maxBytes + " bytes");
  }
}
