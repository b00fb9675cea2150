package com.mp3converter.auth;

import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemResponder;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.Ed25519Jwk;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The beans auth's routes call by name. */
@Configuration(proxyBeanMethods = false)
public class AuthConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(AuthConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  ProblemResponder problemResponder() {
    return new ProblemResponder();
  }

  /**
   * Camel's HTTP header filter for platform-http, except that routes may set Cache-Control: token answers must
   * not be cached. Routes remove every request header before answering, so nothing of the request leaks.
   */
  @Bean
  HeaderFilterStrategy responseHeaderFilter() {
    var strategy = new HttpHeaderFilterStrategy();
    strategy.getOutFilter().remove("cache-control");
    return strategy;
  }

  /** Only the endpoints that read a body; the JWKS and the management port are left alone. */
  @Bean
  FilterRegistrationBean<JsonBodiesOnly> jsonBodiesOnly() {
    var registration = new FilterRegistrationBean<>(new JsonBodiesOnly());
    registration.addUrlPatterns("/register", "/login", "/verify", "/password-reset", "/password-reset/confirm");
    return registration;
  }

  /** The shared strict reader with the default caps (16 KB, depth, lengths): the same as the gateway's. */
  @Bean
  RequestBodies requestBodies() {
    return new RequestBodies();
  }

  /** Closed with the context (its threads are daemons anyway). */
  @Bean
  HashingPool hashingPool(AuthProperties properties) {
    return new HashingPool(properties.passwordHashing().threads(), properties.passwordHashing().queue());
  }

  /** What the hashing pool is doing, on the Prometheus endpoint. */
  @Bean
  MeterBinder hashingPoolMetrics(HashingPool pool) {
    return registry -> {
      Gauge.builder("auth.password.hashing.running", pool, HashingPool::running).register(registry);
      Gauge.builder("auth.password.hashing.queued", pool, HashingPool::queued).register(registry);
    };
  }

  @Bean
  PasswordHasher passwordHasher(HashingPool hashingPool) {
    return new PasswordHasher(hashingPool);
  }

  @Bean
  ClientAddresses clientAddresses() {
    return new ClientAddresses();
  }

  @Bean
  RegistrationValidator registrationValidator() {
    return new RegistrationValidator();
  }

  @Bean
  Users users(ProducerTemplate camel) {
    return new Users(camel);
  }

  /** The throttles' state in PostgreSQL; its cleanup route calls it by name. */
  @Bean
  ThrottleBuckets throttleBuckets(DataSource dataSource, Clock clock) {
    return new ThrottleBuckets(dataSource, clock);
  }

  @Bean
  RegistrationThrottle registrationThrottle(AuthProperties properties, ThrottleBuckets throttleBuckets) {
    AuthProperties.RegisterThrottle t = properties.registerThrottle();
    return new RegistrationThrottle(throttleBuckets, t.clientLimit(), t.window());
  }

  @Bean
  AccountTokenCodec accountTokenCodec() {
    return new AccountTokenCodec();
  }

  @Bean
  AccountTokens accountTokens(ProducerTemplate camel) {
    return new AccountTokens(camel);
  }

  /** The relay route and the account deletion call it by name. */
  @Bean
  Outbox outbox(ProducerTemplate camel) {
    return new Outbox(camel);
  }

  @Bean
  AccountMessages accountMessages(AuthProperties properties, Clock clock) {
    return new AccountMessages(properties.publicUrl(), clock);
  }

  @Bean
  Registrations registrations(RequestBodies requestBodies, PasswordHasher passwordHasher,
      RegistrationThrottle registrationThrottle, AccountTokenCodec codec, AccountTokens tokens, Users users,
      Outbox outbox, AccountMessages messages, AuthProperties properties, Clock clock) {
    return new Registrations(requestBodies, passwordHasher, registrationThrottle, codec, tokens, users, outbox,
        messages, properties.accountTokens().verifyTtl(), clock);
  }

  @Bean
  AccountLinks accountLinks(RequestBodies requestBodies, AccountTokenCodec codec, AccountTokens tokens, Users users,
      AccountMessages messages, PasswordHasher passwordHasher, ThrottleBuckets throttleBuckets,
      AuthProperties properties, Clock clock) {
    AuthProperties.RegisterThrottle t = properties.resetThrottle();
    RegistrationThrottle resetThrottle = new RegistrationThrottle(throttleBuckets, "reset-client", t.clientLimit(),
        t.window(), "Too many password reset requests from this address; try again later.");
    return new AccountLinks(requestBodies, codec, tokens, users, messages, passwordHasher, resetThrottle,
        properties.accountTokens().resetTtl(), clock);
  }

  /** Checks the caller's access token against auth's own published keys (no JWKS call to itself). */
  @Bean
  AccountDeletions accountDeletions(AccessTokenIssuer issuer, JwtProperties jwt, Outbox outbox,
      AccountMessages messages, Clock clock) {
    AccessTokenVerifier verifier = new AccessTokenVerifier(issuer::publishedKey, jwt.issuer(), jwt.audience(),
        Duration.ofSeconds(30), clock);
    return new AccountDeletions(verifier, outbox, messages);
  }

  @Bean
  LoginThrottle loginThrottle(AuthProperties properties, ThrottleBuckets throttleBuckets) {
    AuthProperties.Throttle t = properties.loginThrottle();
    return new LoginThrottle(throttleBuckets, t.accountLimit(), t.clientLimit(), t.window());
  }

  @Bean
  AccessTokenIssuer accessTokenIssuer(AuthProperties properties, JwtProperties jwt, Clock clock) throws IOException {
    SigningKeys.SigningKey current;
    if (isSet(properties.signingKeyFile())) {
      current = SigningKeys.load(Path.of(properties.signingKeyFile()));
      LOG.info("Signing access tokens with key {} from {}", current.kid(), properties.signingKeyFile());
    } else {
      current = SigningKeys.ephemeral();
      LOG.warn("MP3_AUTH_SIGNING_KEY_FILE is not set: signing with ephemeral key {}. Tokens will not survive a "
          + "restart and other replicas will not share it; set the key file outside local runs.", current.kid());
    }
    Map<String, PublicKey> published = new LinkedHashMap<>();
    published.put(current.kid(), current.publicKey());
    if (isSet(properties.previousPublicKeysFile())) {
      for (PublicKey previous : SigningKeys.loadPublicKeys(Path.of(properties.previousPublicKeysFile()))) {
        published.putIfAbsent(Ed25519Jwk.thumbprint(previous), previous);
      }
      LOG.info("Publishing {} previous public key(s) from {}", published.size() - 1,
          properties.previousPublicKeysFile());
    }
    return new AccessTokenIssuer(
        current.privateKey(), current.kid(), published, jwt.issuer(), jwt.audience(), jwt.accessTtl(), clock);
  }

  @Bean
  Logins logins(RequestBodies requestBodies, PasswordHasher passwordHasher, LoginThrottle loginThrottle,
      AccessTokenIssuer accessTokenIssuer) {
    return new Logins(requestBodies, passwordHasher, loginThrottle, accessTokenIssuer);
  }

  private static boolean isSet(String value) {
    return value != null && !value.isBlank();
  }
}
