package com.mp3converter.worker.source;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The HTTP client that fetches sources: nothing automatic that could move a request somewhere we did not check
 * or carry state from one user's download to another's. Redirects are followed by the route, one checked hop at
 * a time; bodies arrive as sent (no transparent decompression, so the byte cap counts what crosses the wire);
 * no cookies, no cached authentication, no automatic retries, and a fresh connection per request, so every
 * request goes through the guarded DNS resolver.
 */
public final class SourceHttpClientConfigurer implements HttpClientConfigurer {
  private final String userAgent;
  private final SourceResponseGuard guard;

  public SourceHttpClientConfigurer(String userAgent, SourceResponseGuard guard) {
    this.userAgent = userAgent;
    this.guard = guard;
  }

  @Override
  public void configureHttpClient(HttpClientBuilder builder) {
    builder
        .disableRedirectHandling()
        .disableAutomaticRetries()
        .disableContentCompression()
        .disableCookieManagement()
        .disableAuthCaching()
        .setConnectionReuseStrategy((request, response, context) -> false)
        .setUserAgent(userAgent)
        .addExecInterceptorFirst("mp3-source-guard", guard);
  }
}
