package com.mp3converter.gateway.web;

import java.time.Duration;
import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of the calls to auth, in a camel-http component of their own ({@link #component}), so nothing
 * else shares its connections or its settings.
 *
 * <p>A registration or login is sent once: automatic retries are off. HttpClient's default strategy re-sends any
 * request, POST included, after a 429 or 503, first sleeping for the answer's Retry-After; for auth's login
 * throttle that is 15 minutes, during which the client's request holds one of the threads that serve the whole
 * API. Auth's 429 goes back to the client as it is. No redirects, cookies or cached credentials either: auth
 * answers each request itself, and nothing one client causes may travel with another client's request.
 *
 * <p>The settings are set on the client builder and the connection manager, which the starter's
 * {@code camel.component.http.*} defaults (applied to every camel-http component) do not touch.
 */
public final class AuthHttpClientConfigurer implements HttpClientConfigurer {
  /** A call holds a bulkhead permit before it asks for one of as many connections: it never waits long here. */
  private static final Timeout CONNECTION_LEASE_TIMEOUT = Timeout.ofSeconds(1);

  private final RequestConfig requests;

  private AuthHttpClientConfigurer(Duration timeout) {
    this.requests = RequestConfig.custom()
        .setConnectionRequestTimeout(CONNECTION_LEASE_TIMEOUT)
        .setResponseTimeout(Timeout.of(timeout))
        .build();
  }

  /**
   * The component the route calls auth through: at most {@code maxConnections} connections, each call bounded by
   * {@code connectTimeout} to connect and {@code timeout} for the answer.
   */
  public static HttpComponent component(int maxConnections, Duration connectTimeout, Duration timeout) {
    HttpComponent http = new HttpComponent();
    http.setClientConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
        .setMaxConnTotal(maxConnections)
        .setMaxConnPerRoute(maxConnections)
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(connectTimeout))
            .setSocketTimeout(Timeout.of(timeout))
            .build())
        .build());
    http.setHttpClientConfigurer(new AuthHttpClientConfigurer(timeout));
    return http;
  }

  @Override
  public void configureHttpClient(HttpClientBuilder builder) {
    builder
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableAuthCaching()
        .setDefaultRequestConfig(requests);
  }
}
