package com.mp3converter.shared.management;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.function.Supplier;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestAttributeHandler;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;
import org.springframework.util.StringUtils;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * CSRF protection for Hawtio, a single-page application (Spring Security's "JavaScript applications" recipe, as
 * hawtio-springboot documents it): the token travels in the readable cookie {@code XSRF-TOKEN}, Hawtio sends it
 * back in the {@code X-XSRF-TOKEN} header of every POST to Jolokia; forms (the login page) carry the masked one.
 */
final class HawtioCsrf {
  private HawtioCsrf() {}

  static void configure(CsrfConfigurer<?> csrf) {
    csrf.csrfTokenRepository(CookieCsrfTokenRepository.withHttpOnlyFalse())
        .csrfTokenRequestHandler(new HeaderOrFormToken());
  }

  /** Puts the token into its cookie on every response, so the application has one before its first POST. */
  static final class CookieWriter extends OncePerRequestFilter {
    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws ServletException, IOException {
      CsrfToken token = (CsrfToken) request.getAttribute(CsrfToken.class.getName());
      if (token != null) {
        token.getToken();
      }
      chain.doFilter(request, response);
    }
  }

  /** The raw token when it comes in the header (from the cookie), the masked one (BREACH-safe) from a form. */
  private static final class HeaderOrFormToken extends CsrfTokenRequestAttributeHandler {
    private final CsrfTokenRequestHandler masked = new XorCsrfTokenRequestAttributeHandler();

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> token) {
      masked.handle(request, response, token);
    }

    @Override
    public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken token) {
      return StringUtils.hasText(request.getHeader(token.getHeaderName()))
          ? super.resolveCsrfTokenValue(request, token)
          : masked.resolveCsrfTokenValue(request, token);
    }
  }
}
