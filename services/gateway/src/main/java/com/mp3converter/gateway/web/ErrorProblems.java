package com.mp3converter.gateway.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Errors that Tomcat raises itself, before any route or Spring MVC handler (a path Tomcat protects, such as
 * /WEB-INF, or a request it cannot dispatch), are answered as problem details too, replacing Spring Boot's JSON
 * error page. Only the status is told: never the exception, the path or the servlet's message.
 */
@RestController
public class ErrorProblems implements ErrorController {
  private static final MediaType PROBLEM = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  @RequestMapping("${server.error.path:${error.path:/error}}")
  public ResponseEntity<byte[]> error(HttpServletRequest request) throws JsonProcessingException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
        ? HttpStatus.valueOf(value)
        : HttpStatus.INTERNAL_SERVER_ERROR;
    Problem problem = new Problem("about:blank", status.getReasonPhrase(), status.value(), null, null);
    return ResponseEntity.status(status).contentType(PROBLEM).body(Json.MESSAGES.writeValueAsBytes(problem));
  }
}
