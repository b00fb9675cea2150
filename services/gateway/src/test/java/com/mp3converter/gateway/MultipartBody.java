package com.mp3converter.gateway;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/** A multipart/form-data body built byte by byte, as curl -F sends it (and as broken clients do not). */
final class MultipartBody {
  final String boundary = "----mp3test" + UUID.randomUUID().toString().replace("-", "");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  /** A file part: {@code filename} null leaves the filename out of Content-Disposition. */
  MultipartBody file(String name, String filename, byte[] content) {
    String disposition = "form-data; name=\"" + name + "\"" + (filename == null ? "" : "; filename=\"" + filename + "\"");
    return part(disposition + "\r\nContent-Type: application/octet-stream", content);
  }

  MultipartBody field(String name, String value) {
    return part("form-data; name=\"" + name + "\"", value.getBytes(StandardCharsets.UTF_8));
  }

  private MultipartBody part(String dispositionAndHeaders, byte[] content) {
    write("--" + boundary + "\r\nContent-Disposition: " + dispositionAndHeaders + "\r\n\r\n");
    out.writeBytes(content);
    write("\r\n");
    return this;
  }

  String contentType() {
    return "multipart/form-data; boundary=" + boundary;
  }

  /** The complete body, closing boundary included. */
  byte[] bytes() {
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(out.toByteArray());
    all.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return all.toByteArray();
  }

  /** The body cut off {@code missing} bytes before its end (no closing boundary). */
  byte[] truncated(int missing) {
    byte[] whole = out.toByteArray();
    return Arrays.copyOf(whole, whole.length - missing);
  }

  private void write(String text) {
    out.writeBytes(text.getBytes(StandardCharsets.UTF_8));
  }
}
