package com.mp3converter.gateway;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Uploads ({@code POST /conversions} as {@code multipart/form-data}).
 *
 * @param maxBytes the largest request body an upload may have (MP3_MAX_UPLOAD_BYTES, default 500MB; plain bytes or
 *     a size such as {@code 200MB}): a larger declared Content-Length is refused with 413 before a byte is read, and
 *     a chunked body is cut off with 413 as soon as it passes this size; nothing is stored either way
 * @param maxFilenameLength the longest file name (characters) an upload may carry; longer is a 400
 */
@ConfigurationProperties("mp3.uploads")
public record UploadProperties(
    @DefaultValue("500MB") DataSize maxBytes,
    @DefaultValue("255") int maxFilenameLength) {

  public UploadProperties {
    if (maxBytes.toBytes() <= 0 || maxFilenameLength <= 0) {
      throw new IllegalArgumentException("mp3.uploads.* must be positive");
    }
  }
}
