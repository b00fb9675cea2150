package com.mp3converter.gateway;

import com.mp3converter.gateway.conversions.ConversionIntake;
import com.mp3converter.gateway.conversions.ConversionViews;
import com.mp3converter.gateway.conversions.Conversions;
import com.mp3converter.gateway.conversions.IdempotencyKeys;
import com.mp3converter.gateway.conversions.IdempotentSubmissions;
import com.mp3converter.gateway.conversions.JobControl;
import com.mp3converter.gateway.conversions.StatusEvents;
import com.mp3converter.gateway.conversions.SubmissionLimits;
import com.mp3converter.gateway.downloads.DownloadLinks;
import com.mp3converter.gateway.downloads.Downloads;
import com.mp3converter.gateway.metrics.GatewayMetrics;
import com.mp3converter.gateway.uploads.UploadIntake;
import com.mp3converter.gateway.web.ApiDocument;
import com.mp3converter.gateway.web.AuthForwarding;
import com.mp3converter.gateway.web.Authenticator;
import com.mp3converter.gateway.web.VerifiedAccessTokens;
import com.mp3converter.gateway.web.BodySizeLimitFilter;
import com.mp3converter.gateway.web.DownloadLinkFilter;
import com.mp3converter.gateway.web.InfrastructureProblems;
import com.mp3converter.gateway.web.InternalCredential;
import com.mp3converter.gateway.web.ProblemErrorReportValve;
import com.mp3converter.gateway.web.RejectionWarmUp;
import com.mp3converter.gateway.web.UploadRequestFilter;
import com.mp3converter.shared.json.RequestBodies;
import com.mp3converter.shared.problem.ProblemResponder;
import com.mp3converter.shared.secret.SecretStrength;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.shared.token.RemoteJwks;
import com.mp3converter.shared.url.SourceUrlPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.apache.camel.ProducerTemplate;
import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.autoconfigure.task.TaskExecutionProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import com.mp3converter.gateway.accounts.AccountCleanup;
import com.mp3converter.gateway.accounts.DeletedAccounts;

/** The beans the gateway's routes call by name, built from {@link GatewayProperties}. */
@Configuration(proxyBeanMethods = false)
public class GatewayConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayConfiguration.class);

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  /** Forged download links sent to the gateway itself before it is ready (web.RejectionWarmUp). */
  @Bean
  RejectionWarmUp rejectionWarmUp(WarmUpProperties warmUp, ApplicationContext context) {
    return new RejectionWarmUp(warmUp, context);
  }

  @Bean
  ProblemResponder problemResponder() {
    return new ProblemResponder();
  }

  @Bean
  InfrastructureProblems infrastructureProblems() {
    return new InfrastructureProblems();
  }

  /**
   * Forged download links answered before Spring MVC and Camel (DownloadLinkFilter); right after Spring's
   * observation filter (HIGHEST_PRECEDENCE + 1), so they are still measured.
   */
  @Bean
  FilterRegistrationBean<DownloadLinkFilter> downloadLinkFilter(DownloadTokens tokens) {
    var registration = new FilterRegistrationBean<>(new DownloadLinkFilter(tokens));
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }

  @Bean
  FilterRegistrationBean<BodySizeLimitFilter> bodySizeLimitFilter(GatewayProperties properties) {
    return new FilterRegistrationBean<>(new BodySizeLimitFilter(properties.requests().maxBodyBytes()));
  }

  /**
   * Uploads: a declared body over MP3_MAX_UPLOAD_BYTES is refused before it is read, and the body reaches the upload
   * route as a counted stream ({@link BodySizeLimitFilter} leaves uploads to it).
   */
  @Bean
  FilterRegistrationBean<UploadRequestFilter> uploadRequestFilter(UploadProperties uploads) {
    return new FilterRegistrationBean<>(new UploadRequestFilter(uploads.maxBytes().toBytes()));
  }

  @Bean
  UploadIntake uploadIntake(Clock clock, UploadProperties uploads) {
    return new UploadIntake(clock, uploads.maxFilenameLength(), Path.of(System.getProperty("java.io.tmpdir")));
  }

  @Bean
  IdempotencyKeys idempotencyKeys(ProducerTemplate producerTemplate) {
    return new IdempotencyKeys(producerTemplate);
  }

  @Bean
  IdempotentSubmissions idempotentSubmissions(IdempotencyKeys keys, Conversions conversions, Clock clock) {
    return new IdempotentSubmissions(keys, conversions, clock);
  }

  /**
   * Tomcat's error page for requests it refuses before any servlet (oversized request line or headers, malformed
   * requests) becomes a problem body too. Set as the host's error report valve, so Tomcat adds no HTML one of its
   * own.
   */
  @Bean
  WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorPages() {
    return factory -> factory.addContextCustomizers(context -> {
      if (context.getParent() instanceof StandardHost host) {
        host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
      }
    });
  }

  @Bean
  RequestBodies requestBodies(GatewayProperties properties) {
    return new RequestBodies(properties.requests().maxBodyBytes());
  }

  @Bean
  RemoteJwks remoteJwks(GatewayProperties properties, Clock clock) {
    GatewayProperties.Auth auth = properties.auth();
    URI jwks = URI.create(trimSlash(auth.url()) + "/.well-known/jwks.json");
    return new RemoteJwks(jwks, auth.jwksMaxAge(), auth.jwksMinRefreshInterval(), clock);
  }

  @Bean
  AccessTokenVerifier accessTokenVerifier(RemoteJwks jwks, GatewayProperties properties, Clock clock) {
    GatewayProperties.Jwt jwt = properties.jwt();
    return new AccessTokenVerifier(jwks, jwt.issuer(), jwt.audience(), jwt.clockSkew(), clock);
  }

  @Bean
  Authenticator authenticator(AccessTokenVerifier verifier, GatewayProperties properties, Clock clock,
      DeletedAccounts deletedAccounts) {
    return new Authenticator(new VerifiedAccessTokens(verifier, properties.auth().jwksMaxAge(), clock),
        deletedAccounts::contains);
  }

  @Bean
  DeletedAccounts deletedAccounts(ProducerTemplate camel, Clock clock, GatewayProperties properties) {
    return new DeletedAccounts(camel, clock, Duration.ofMillis(properties.accounts().deletedRefreshMs()));
  }

  @Bean
  AccountCleanup accountCleanup(S3Client gatewayS3Client, GatewayProperties properties,
      DeletedAccounts deletedAccounts) {
    return new AccountCleanup(gatewayS3Client, properties.s3().bucket(), deletedAccounts);
  }

  @Bean
  ApiDocument apiDocument() {
    return new ApiDocument();
  }

  @Bean
  InternalCredential internalCredential(GatewayProperties properties) {
    return new InternalCredential(properties.internalToken());
  }

  @Bean
  AuthForwarding authForwarding(RequestBodies bodies) {
    return new AuthForwarding(bodies);
  }

  @Bean
  SourceUrlPolicy sourceUrlPolicy(GatewayProperties properties) {
    GatewayProperties.Sources sources = properties.sources();
    if (sources.allowPrivate()) {
      LOG.warn("MP3_ALLOW_PRIVATE_SOURCES=true: source URLs may name private and loopback addresses (local runs only)");
    }
    return new SourceUrlPolicy(sources.allowPrivate(), sources.allowedPorts(), SourceUrlPolicy.DEFAULT_MAX_LENGTH);
  }

  @Bean
  ConversionIntake conversionIntake(RequestBodies bodies, SourceUrlPolicy policy, Clock clock,
      GatewayMetrics metrics) {
    return new ConversionIntake(bodies, policy, clock, metrics);
  }

  /** The job table; every statement on it runs through camel-jdbc from this store. */
  @Bean
  Conversions conversions(ProducerTemplate producerTemplate, Clock clock, RetentionProperties retention,
      GatewayMetrics metrics) {
    return new Conversions(producerTemplate, clock, retention.period(), metrics);
  }

  /**
   * The circuit breaker of the intake's bulkhead (gateway-intake-limit): the circuitBreaker EIP is there for its
   * bulkhead only, so no outcome counts as a failure and this circuit never opens. Refuses a limit that could take
   * every request thread, which would leave none for status, lists and downloads.
   */
  @Bean
  CircuitBreaker intakeCircuit(GatewayProperties properties, TaskExecutionProperties requestThreads) {
    GatewayProperties.Intake intake = properties.intake();
    int threads = requestThreads.getPool().getCoreSize();
    if (intake.maxConcurrent() < 1 || intake.maxConcurrent() >= threads || intake.maxWaitMs() < 0) {
      throw new IllegalStateException("MP3_INTAKE_MAX_CONCURRENT (" + intake.maxConcurrent() + ") must be at least "
          + "1 and below the request threads (MP3_REQUEST_THREADS, " + threads + "), and MP3_INTAKE_MAX_WAIT_MS "
          + "(" + intake.maxWaitMs() + ") not negative");
    }
    return CircuitBreaker.of("intake", CircuitBreakerConfig.custom().recordException(failure -> false).build());
  }

  @Bean
  SubmissionLimits submissionLimits(Conversions conversions, GatewayProperties properties) {
    GatewayProperties.Limits limits = properties.limits();
    return new SubmissionLimits(conversions, limits.submissionsPerMinute(), limits.maxActiveJobs());
  }

  @Bean
  ConversionViews conversionViews(Conversions conversions, DownloadLinks links, Clock clock) {
    return new ConversionViews(conversions, links, clock);
  }

  @Bean
  JobControl jobControl(Conversions conversions, RequestBodies bodies, Clock clock, JobControlProperties properties) {
    return new JobControl(conversions, bodies, clock, properties.maxAttempts());
  }

  @Bean
  StatusEvents statusEvents() {
    return new StatusEvents();
  }

  /**
   * Download links live as long as the files they name (mp3.retention.period): {@link DownloadLinks} gives each
   * link its file's expiry, and the retention period is the lifetime of a link whose file has none.
   */
  @Bean
  DownloadTokens downloadTokens(GatewayProperties properties, RetentionProperties retention, Clock clock) {
    GatewayProperties.Download download = properties.download();
    return new DownloadTokens(
        downloadTokenKey(download.tokenKey()), download.issuer(), download.audience(), retention.period(), clock);
  }

  @Bean
  DownloadLinks downloadLinks(RequestBodies bodies, DownloadTokens tokens, Conversions conversions,
      GatewayProperties properties, Clock clock) {
    return new DownloadLinks(bodies, tokens, conversions, properties.publicUrl(), clock);
  }

  @Bean
  Downloads downloads(DownloadTokens tokens, Conversions conversions, Clock clock, GatewayMetrics metrics) {
    return new Downloads(tokens, conversions, clock, metrics.servedBytes());
  }

  /**
   * The client camel-aws2-s3 uses (the routes name it). Building it makes no network call, so the gateway
   * starts while the object store is down; the S3 endpoint itself is created on first use (see downloads route).
   */
  @Bean(destroyMethod = "close")
  S3Client gatewayS3Client(GatewayProperties properties) {
    GatewayProperties.S3 s3 = properties.s3();
    return S3Client.builder()
        .endpointOverride(URI.create(s3.endpoint()))
        .forcePathStyle(true)
        .region(Region.of(s3.region()))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create(s3.accessKey(), s3.secretKey())))
        // Several SDK HTTP clients are on the classpath; name one, with timeouts that fail fast when S3 is down.
        .httpClientBuilder(ApacheHttpClient.builder()
            .maxConnections(s3.maxConnections())
            .connectionTimeout(Duration.ofSeconds(3))
            // A full pool is an overloaded store: a 503 after a short wait, not a request that hangs.
            .connectionAcquisitionTimeout(Duration.ofSeconds(5))
            .socketTimeout(Duration.ofSeconds(30)))
        .build();
  }

  static byte[] downloadTokenKey(String configured) {
    if (configured == null || configured.isBlank()) {
      LOG.warn("MP3_DOWNLOAD_TOKEN_KEY is not set: download links are signed with an ephemeral key and stop "
          + "working when the gateway restarts (and other replicas reject them); set it outside local runs.");
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      return key;
    }
    byte[] key;
    try {
      key = SecretStrength.decodeBase64Key(configured);
    } catch (IllegalArgumentException notBase64) {
      throw new IllegalArgumentException("MP3_DOWNLOAD_TOKEN_KEY must be base64");
    }
    if (key.length < DownloadTokens.MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "MP3_DOWNLOAD_TOKEN_KEY must decode to at least " + DownloadTokens.MIN_KEY_BYTES + " bytes");
    }
    return key;
  }

  private static String trimSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }
}
