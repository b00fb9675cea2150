package com.mp3converter.gateway.web;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What crosses the gateway on its way to auth and back. Only the body, its Content-Type and the client's
 * address go to auth (never the client's other headers, never Camel's); only auth's status, Content-Type,
 * Retry-After and body come back.
 */
public final class AuthForwarding {
  private static final Logger LOG = LoggerFactory.getLogger(AuthForwarding.class);

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
    message.removeHeaders("*");
    if (contentType != null) {
      message.setHeader(Exchange.CONTENT_TYPE, contentType);
    }
    if (client != null) {
      message.setHeader("X-Forwarded-For", client);
    }
    message.setHeader(Exchange.HTTP_METHOD, "POST");
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

  public void unavailable(Exchange exchange) {
    Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    LOG.warn("auth is not reachable: {}", cause == null ? "unknown" : cause.toString());
    throw ProblemException.unavailable("auth-unavailable", "The sign-in service is not reachable; try again shortly.");
  }
}
