package com.mp3converter.shared.problem;

/** Thrown by beans and routes to answer a request with a precise 4xx (or 503) and a problem body. */
public class ProblemException extends RuntimeException {
  private final Problem problem;
  private final java.util.Map<String, String> headers;

  public ProblemException(int status, String slug, String title, String detail) {
    this(Problem.of(status, slug, title, detail), java.util.Map.of());
  }

  public ProblemException(Problem problem, java.util.Map<String, String> headers) {
    super(problem.title() + ": " + problem.detail(), null, false, false);
    this.problem = problem;
    this.headers = headers;
  }

  public Problem problem() {
    return problem;
  }

  /** Response headers that belong to this problem, such as {@code Retry-After} on a 429. */
  public java.util.Map<String, String> headers() {
    return headers;
  }

  public static ProblemException badRequest(String slug, String detail) {
    return new ProblemException(400, slug, "Invalid request", detail);
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "unauthorized", "Authentication required", detail);
  }

  public static ProblemException forbidden(String slug, String detail) {
    return new ProblemException(403, slug, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "not-found", "Not found", detail);
  }

  public static ProblemException conflict(String slug, String detail) {
    return new ProblemException(409, slug, "Conflict", detail);
  }

  public static ProblemException gone(String slug, String detail) {
    return new ProblemException(410, slug, "Gone", detail);
  }

  public static ProblemException tooManyRequests(String detail, long retryAfterSeconds) {
    return new ProblemException(
        Problem.of(429, "too-many-requests", "Too many requests", detail),
        java.util.Map.of("Retry-After", Long.toString(retryAfterSeconds)));
  }

  public static ProblemException unavailable(String slug, String detail) {
    return new ProblemException(
        Problem.of(503, slug, "Service unavailable", detail), java.util.Map.of("Retry-After", "5"));
  }
}
