package com.mp3converter.shared.secret;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The base64 blocks of a PEM text ({@code -----BEGIN LABEL----- ... -----END LABEL-----}), decoded. */
public final class Pem {
  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

  private Pem() {}

  /** The decoded blocks with the given label ({@code PRIVATE KEY}, {@code PUBLIC KEY}), or all when label is null. */
  public static List<byte[]> blocks(String pem, String label) {
    List<byte[]> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(pem);
    while (m.find()) {
      if (label == null || label.equals(m.group(1))) {
        blocks.add(Base64.getMimeDecoder().decode(m.group(2)));
      }
    }
    return blocks;
  }
}
