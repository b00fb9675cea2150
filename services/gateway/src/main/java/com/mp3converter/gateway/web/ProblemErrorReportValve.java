package com.mp3converter.gateway.web;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import java.io.IOException;
import java.io.PrintWriter;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error page, for requests it refuses before any servlet sees them (a request line or headers over
 * the size limit, a malformed request), as problem details instead of HTML: only the status, never the server's
 * name, version or message. Errors that reach the servlet container go to {@link ErrorProblems} instead.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    HttpStatus known = HttpStatus.resolve(status);
    Problem problem = new Problem("about:blank", known == null ? "Error" : known.getReasonPhrase(), status, null, null);
    try {
      response.setContentType(Problem.MEDIA_TYPE);
      response.setCharacterEncoding("UTF-8");
      PrintWriter writer = response.getReporter();
      if (writer != null) {
        writer.write(Json.MESSAGES.writeValueAsString(problem));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException answeringFailed) {
      // The client is gone or the response was taken over; there is nobody left to tell.
    }
  }
}
