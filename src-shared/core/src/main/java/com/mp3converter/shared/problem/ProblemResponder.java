package com.mp3converter.shared.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Renders the exception an exchange caught as an {@code application/problem+json} response. Every service's
 * shared route configuration calls it from one {@code onException}, so no route answers with a stack trace.
 */
public class ProblemResponder implements Processor {

  @Override
  public void process(Exchange exchange) throws JsonProcessingException {
    Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    respond(exchange, Problems.from(caught));
  }

  public static void respond(Exchange exchange, ProblemException problem) throws JsonProcessingException {
    var message = exchange.getMessage();
    // Request headers must not echo back into the response.
    message.removeHeaders("*");
    problem.headers().forEach(message::setHeader);
    message.setHeader(Exchange.HTTP_RESPONSE_CODE, problem.problem().status());
    message.setHeader(Exchange.CONTENT_TYPE, Problem.MEDIA_TYPE);
    message.setBody(Json.MESSAGES.writeValueAsString(problem.problem()));
  }
}
