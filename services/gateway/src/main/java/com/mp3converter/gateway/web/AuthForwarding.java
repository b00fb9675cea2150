package com.mp3converter.gateway.web;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What crosses the gateway on its way to auth and back. Only the body, its Content-Type and the client's
 * address go to auth (never the client's other headers, never Camel's); only auth's status, Content-Type,
 * Retry-After and body come back. A call that could not be made (auth down, too slow, or already as many calls
 * in flight as the gateway allows) is a 503 with Retry-After.
 */
public final class AuthForwarding {
  private static final Logger LOG = LoggerFactory.getLogger(AuthForwarding.class);

  /** Exchange property: the HTTP method of the call to auth (POST unless a route says otherwise). */
  public static final String AUTH_METHOD = "authMethod";

  private final RequestBodies bodies;

  public AuthForwarding(RequestBodies bodies) {
    this.bodies = bodies;
  }

  public void prepareRequest(Exchange exchange) {
    Message message = exchange.getIn();
    byte[] body = bodies.read(exchange);
    String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
    // With server.forward-headers-strategy=native, Tomcat already replaced the address of a trusted proxy (the
    // Ingress) by the client's; anything a client writes into X-Forwarded-For itself is not passed on.
    String client = ServletExchanges.request(exchange).map(HttpServletRequest::getRemoteAddr).orElse(null);
    // Only DELETE /account presents the caller's access token to auth (auth checks it itself).
    String method = exchange.getProperty(AUTH_METHOD, "POST", String.class);
    String authorization = "DELETE".equals(method) ? message.getHeader("Authorization", String.class) : null;
    message.removeHeaders("*");
    if (contentType != null) {
      message.setHeader(Exchange.CONTENT_TYPE, contentType);
    }
    if (client != null) {
      message.setHeader("X-Forwarded-For", client);
    }
    if (authorization != null) {
      message.setHeader("Authorization", authorization);
    }
    message.setHeader(Exchange.HTTP_METHOD, method);
    message.setBody(body);
  }

  public void prepareResponse(Exchange exchange) {
    Message message = exchange.getIn();
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    kept.put(Exchange.HTTP_RESPONSE_CODE, message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class));
    kept.put(Exchange.CONTENT_TYPE, message.getHeader(Exchange.CONTENT_TYPE, String.class));
    kept.put("Retry-After", message.getHeader("Retry-After", String.class));
    message.removeHeaders("*");
    kept.forEach((name, value) -> {
      if (value != null) {
        message.setHeader(name, value);
      }
    });
  }

  /**
   * The circuit breaker's fallback. {@code cause} is what the call to auth failed with; there is none when the
   * call was not made (the bulkhead was full or the circuit open): that happens under a flood of requests and is
   * not logged each time.
   */
  public void unavailable(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable cause) {
    if (cause != null) {
      LOG.warn("auth is not reachable: {}", cause.toString());
    } else {
      LOG.debug("call to auth refused: as many calls in flight as allowed, or auth failing");
    }
    throw ProblemException.unavailable(
        "auth-unavailable", "The sign-in service is busy or not reachable; try again shortly.");
  }
}
