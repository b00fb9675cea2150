package com.mp3converter.shared.url;

import java.net.UnknownHostException;

/**
 * A source URL or one of its addresses is not allowed. It extends {@link UnknownHostException} so it can leave
 * an HTTP client's DNS resolver unchanged and still be recognised in the cause chain.
 */
public class BlockedUrlException extends UnknownHostException {
  public BlockedUrlException(String message) {
    super(message);
  }
}
