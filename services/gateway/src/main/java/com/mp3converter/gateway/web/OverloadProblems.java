package com.mp3converter.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import java.util.concurrent.RejectedExecutionException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * A request the request threads cannot take: platform-http hands every request to Spring's task executor, whose
 * queue is bounded (MP3_REQUEST_QUEUE, gateway.yaml), and a full queue rejects the request before any route runs.
 * It is answered like the intake's full bulkhead: 503 with a problem body and Retry-After, never a 500.
 */
@RestControllerAdvice
public class OverloadProblems {
  private static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  @ExceptionHandler(RejectedExecutionException.class)
  public ResponseEntity<byte[]> rejected() throws JsonProcessingException {
    ProblemException overloaded = InfrastructureProblems.overloaded();
    ResponseEntity.BodyBuilder response = ResponseEntity.status(overloaded.problem().status()).contentType(PROBLEM);
    overloaded.headers().forEach(response::header);
    return response.body(Json.MESSAGES.writeValueAsBytes(overloaded.problem()));
  }
}
