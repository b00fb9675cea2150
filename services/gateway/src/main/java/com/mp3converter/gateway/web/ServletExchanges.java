package com.mp3converter.gateway.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.Optional;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/** The servlet request and response behind a platform-http exchange (Spring Boot's Tomcat). */
public final class ServletExchanges {
  private ServletExchanges() {}

  public static Optional<HttpServletRequest> request(Exchange exchange) {
    PlatformHttpMessage message = exchange.getIn(PlatformHttpMessage.class);
    return Optional.ofNullable(message).map(PlatformHttpMessage::getRequest);
  }

  public static Optional<HttpServletResponse> response(Message message) {
    return message instanceof PlatformHttpMessage http ? Optional.ofNullable(http.getResponse()) : Optional.empty();
  }
}
