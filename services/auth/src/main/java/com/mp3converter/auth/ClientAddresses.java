package com.mp3converter.auth;

import java.util.List;
import org.apache.camel.Header;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** Who is asking: the address logins and registrations are throttled by. */
public final class ClientAddresses {
  /** Header the gateway sets to the address its client connected from. */
  static final String FORWARDED_FOR = "X-Forwarded-For";

  /** Longest client key kept: anything longer is not an address and would only inflate the throttles' memory. */
  static final int MAX_CLIENT_KEY = 64;

  /**
   * The first hop of X-Forwarded-For, which the gateway sets to the address its client connected from, else the
   * peer's address (from the HTTP request behind {@code request}). Auth is never exposed directly; a caller that
   * reaches it anyway can choose this key, but not escape the limits per account and client of the login.
   */
  public String clientAddress(@Header(FORWARDED_FOR) Object forwardedFor, Message request) {
    String first = firstHop(forwardedFor);
    if (first != null) {
      return first;
    }
    if (request instanceof PlatformHttpMessage http && http.getRequest() != null) {
      return http.getRequest().getRemoteAddr();
    }
    return "unknown";
  }

  static String firstHop(Object forwardedFor) {
    Object value = forwardedFor instanceof List<?> list && !list.isEmpty() ? list.get(0) : forwardedFor;
    if (!(value instanceof String header)) {
      return null;
    }
    int comma = header.indexOf(',');
    String first = (comma < 0 ? header : header.substring(0, comma)).strip();
    if (first.isEmpty()) {
      return null;
    }
    return first.length() > MAX_CLIENT_KEY ? first.substring(0, MAX_CLIENT_KEY) : first;
  }
}
