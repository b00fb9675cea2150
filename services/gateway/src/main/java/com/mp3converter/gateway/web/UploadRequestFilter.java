package com.mp3converter.gateway.web;

import com.mp3converter.gateway.uploads.MultipartProblems;
import com.mp3converter.gateway.uploads.UploadBody;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.Locale;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The door for uploads ({@code POST /conversions} as {@code multipart/form-data}), before Camel sees the request.
 * A declared Content-Length over MP3_MAX_UPLOAD_BYTES is answered 413 here, before a byte of the body is read.
 * Otherwise the body is handed to the upload route as a counted stream ({@link UploadBody}, request attribute
 * {@link #BODY}) that fails past the limit, and Camel's HTTP binding is given an empty body: it would otherwise
 * read the whole body into memory before the first route step. {@link BodySizeLimitFilter} leaves these requests
 * to this filter.
 */
public final class UploadRequestFilter extends OncePerRequestFilter {
  /** The request attribute that carries the upload's body ({@link UploadBody}) to the route. */
  public static final String BODY = UploadRequestFilter.class.getName() + ".body";
  static final String UPLOAD_PATH = "/conversions";

  private final long maxBytes;

  public UploadRequestFilter(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** Whether the request is an upload this filter handles. */
  public static boolean isUpload(HttpServletRequest request) {
    String contentType = request.getContentType();
    return "POST".equals(request.getMethod())
        && UPLOAD_PATH.equals(request.getRequestURI())
        && contentType != null
        && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data");
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !isUpload(request);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    if (request.getContentLengthLong() > maxBytes) {
      Problem problem = MultipartProblems.tooLarge(maxBytes).problem();
      response.setStatus(problem.status());
      response.setContentType(Problem.MEDIA_TYPE);
      // The body is not read; Tomcat closes the connection rather than swallow a large one.
      response.setHeader("Connection", "close");
      response.getOutputStream().write(Json.MESSAGES.writeValueAsBytes(problem));
      return;
    }
    request.setAttribute(BODY,
        new UploadBody(request.getInputStream(), maxBytes, request.getContentType(), request.getCharacterEncoding()));
    chain.doFilter(new BodyHiddenFromBinding(request), response);
  }

  /** The request as Camel's binding sees it: its body is read by the upload route only, through {@link #BODY}. */
  private static final class BodyHiddenFromBinding extends HttpServletRequestWrapper {
    BodyHiddenFromBinding(HttpServletRequest request) {
      super(request);
    }

    @Override
    public ServletInputStream getInputStream() {
      return new ServletInputStream() {
        @Override
        public int read() {
          return -1;
        }

        @Override
        public boolean isFinished() {
          return true;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new IllegalStateException("synchronous reads only");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      return new BufferedReader(new StringReader(""));
    }
  }
}
