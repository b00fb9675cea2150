package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.HostileNetwork.HostileDns;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.DownloadTokens;
import com.mp3converter.shared.token.Ed25519Jwk;
import com.mp3converter.testing.TestSecrets;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * The hostile-input suite at the system level: the four services as a user meets them (LocalSystem), with private
 * sources refused as in production, driven over HTTP through the gateway. Every case asserts one exact outcome: a
 * status and problem type, or the job's final state and reason.
 *
 * <p>A canary server listens on loopback on a port the source policy allows, so only the address checks stand
 * between the worker and it; it must never see a request. Sources the worker may fetch live behind a made-up public
 * address that a SOCKS double maps to a loopback file server (HostileNetwork, SocksDouble): the worker's guard
 * judges real-looking public and private answers, and nothing leaves the machine. Non-loopback private, link-local
 * and metadata addresses are only ever refused at the gateway here; what the worker's guard says about them is
 * checked without connecting (UrlHostileInputTest, AddressVerdictsTest, RedirectHostileInputTest).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SystemHostileInputTest.CaseCount.class)
class SystemHostileInputTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final String ISSUER = "mp3-converter-auth";
  private static final String AUDIENCE = "mp3-converter";
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final long MAX_SOURCE_BYTES = 2_000_000;
  private static final String PASSWORD = "hostile suite password " + UUID.randomUUID();
  private static final Duration OUTCOME = Duration.ofSeconds(30);
  private static final String FILES = "http://" + HostileNetwork.FILES_NAME;

  @TempDir static Path files;
  @TempDir static Path canaryFiles;
  @TempDir static Path keys;

  private LocalS3 s3;
  private ResendStub resend;
  private StaticFileServer filesServer;
  private StaticFileServer canary;
  private SocksDouble socks;
  private LocalSystem system;
  private HostileDns dns;
  private LogCapture logs;
  private final HttpClient http = HttpClient.newHttpClient();

  private final KeyPair previousKey = ForgedJwt.ed25519();
  private final KeyPair currentKey = ForgedJwt.ed25519();
  private final KeyPair attackerKey = ForgedJwt.ed25519();
  private final String internalToken = TestSecrets.token();
  private final byte[] downloadKey = randomBytes(32);
  /** Every secret of the run: none may appear in a response or a log line. */
  private final List<String> secrets = new CopyOnWriteArrayList<>();
  /** Credentials issued during the run (access tokens, download links): answered to their owner, never logged. */
  private final List<String> credentials = new CopyOnWriteArrayList<>();
  private final List<String> answered = new CopyOnWriteArrayList<>();
  private final CountDownLatch held = new CountDownLatch(1);
  private final AtomicLong bombBytes = new AtomicLong();
  private final AtomicInteger drips = new AtomicInteger();
  private String hostileDownloadJob;
  private String hostileDownloadUser;

  @BeforeAll
  void startTheSystem() throws Exception {
    s3 = LocalS3.start().createBucket("mp3");
    resend = ResendStub.start();
    AudioFixtures.writeSineWav(canaryFiles.resolve("song.wav"), 0.5);
    canary = StaticFileServer.serve(canaryFiles);
    writeSources();
    filesServer = StaticFileServer.serve(files);
    scriptTheFileServer();
    socks = new SocksDouble(filesServer.port());

    Path signingKey = Files.writeString(keys.resolve("signing.pem"), pem("PRIVATE KEY", currentKey.getPrivate().getEncoded()));
    Path previous = Files.writeString(keys.resolve("previous.pem"), pem("PUBLIC KEY", previousKey.getPublic().getEncoded()));
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("spring.rabbitmq.virtual-host", RABBIT.name());
    settings.put("MP3_S3_ENDPOINT", s3.endpoint());
    settings.put("MP3_S3_ACCESS_KEY", s3.accessKey());
    settings.put("MP3_S3_SECRET_KEY", s3.secretKey());
    settings.put("MP3_S3_BUCKET", "mp3");
    settings.put("MP3_RESEND_BASE_URL", resend.baseUrl());
    settings.put("MP3_RESEND_API_KEY", resend.apiKey());
    settings.put("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>");
    settings.put("MP3_INTERNAL_TOKEN", internalToken);
    settings.put("MP3_DOWNLOAD_TOKEN_KEY", Base64.getEncoder().encodeToString(downloadKey));
    settings.put("MP3_AUTH_SIGNING_KEY_FILE", signingKey.toString());
    settings.put("MP3_AUTH_PREVIOUS_PUBLIC_KEYS_FILE", previous.toString());
    // Production's setting. The canary's port is allowed, so only the address checks keep the worker off it.
    settings.put("MP3_ALLOW_PRIVATE_SOURCES", "false");
    settings.put("MP3_SOURCE_PORTS", "80,443," + canary.port());
    settings.put("MP3_MAX_SOURCE_BYTES", Long.toString(MAX_SOURCE_BYTES));
    settings.put("MP3_SOURCE_CONNECT_TIMEOUT", "2s");
    settings.put("MP3_SOURCE_READ_TIMEOUT", "2s");
    settings.put("MP3_SOURCE_TOTAL_TIMEOUT", "3s");
    settings.put("MP3_WORKER_RETRY_DELAY_MS", "100");
    Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
    perService.put(Service.AUTH, Map.of("spring.datasource.url", TestDatabase.create("hostile_auth")));
    perService.put(Service.GATEWAY, Map.of("spring.datasource.url", TestDatabase.create("hostile_gateway")));
    perService.put(Service.NOTIFIER, Map.of("spring.datasource.url", TestDatabase.create("hostile_notifier")));
    perService.put(Service.WORKER, Map.of(
        "spring.main.sources", HostileNetwork.class.getName(),
        HostileNetwork.SOCKS_PORT, Integer.toString(socks.port())));
    system = LocalSystem.start(settings, perService, LocalSystem.freePorts());

    // Before any job: the worker's only way out is the SOCKS double, so no test source can leave this machine.
    assertThat(system.context(Service.WORKER).getBean(HostileNetwork.SocksEgress.class).installed())
        .isEqualTo(new InetSocketAddress(InetAddress.getLoopbackAddress(), socks.port()));
    dns = system.context(Service.WORKER).getBean(HostileDns.class);
    logs = LogCapture.attach();

    secrets.addAll(List.of(internalToken, Base64.getEncoder().encodeToString(downloadKey), s3.secretKey(),
        resend.apiKey(), PASSWORD, Base64.getEncoder().encodeToString(currentKey.getPrivate().getEncoded())));
  }

  @AfterAll
  void stopTheSystem() throws Exception {
    held.countDown();
    if (logs != null) {
      logs.detach();
    }
    if (system != null) {
      system.close();
    }
    for (AutoCloseable closeable : new AutoCloseable[] {socks, filesServer, canary, resend, s3}) {
      if (closeable != null) {
        closeable.close();
      }
    }
    if (s3 != null) {
      s3.deleteFolder();
    }
  }

  @AfterEach
  void theCanaryWasNeverHitAndNothingLeftTheMachine() {
    assertThat(canary.hits()).as("requests that reached the canary on loopback").isZero();
    assertThat(socks.refused()).as("connections that would have left the machine").isEmpty();
  }

  // ------------------------------------------------------------------------------------------ source URLs: intake

  @ParameterizedTest(name = "address form: {0}")
  @ValueSource(strings = {
      "http://127.0.0.1:{canary}/song.wav", "http://127.1:{canary}/song.wav", "http://127.0.1:{canary}/song.wav",
      "http://2130706433:{canary}/song.wav", "http://017700000001:{canary}/song.wav",
      "http://0x7f000001:{canary}/song.wav", "http://0x7f.0.0.1:{canary}/song.wav", "http://0177.0.0.1:{canary}/song.wav",
      "http://0x7f.0x0.0x0.0x1:{canary}/song.wav", "http://127.000.000.001:{canary}/song.wav",
      "http://0:{canary}/song.wav", "http://0.0.0.0:{canary}/song.wav", "http://127.0.0.1.:{canary}/song.wav",
      "http://[::1]:{canary}/song.wav", "http://[::]:{canary}/song.wav", "http://[0:0:0:0:0:0:0:1]:{canary}/song.wav",
      "http://[::ffff:127.0.0.1]:{canary}/song.wav", "http://[::ffff:7f00:1]:{canary}/song.wav",
      "http://[::127.0.0.1]:{canary}/song.wav", "http://[64:ff9b::7f00:1]:{canary}/song.wav",
      "http://[2002:7f00:1::]:{canary}/song.wav", "http://[fe80::1%25lo]:{canary}/song.wav",
      "http://[::1%251]:{canary}/song.wav", "http://localhost:{canary}/song.wav", "http://localhost.:{canary}/song.wav",
      "http://LOCALHOST:{canary}/song.wav", "http://canary.localhost:{canary}/song.wav",
      "http://10.0.0.1/a.wav", "http://172.16.0.1/a.wav", "http://192.168.0.1/a.wav",
      "http://169.254.169.254/latest/meta-data/", "http://[fd00:ec2::254]/latest/meta-data/", "http://100.64.0.1/a.wav",
      "http://224.0.0.1/a.wav", "http://255.255.255.255/a.wav", "http://[::ffff:169.254.169.254]/latest/meta-data/",
      "http://metadata.google.internal/computeMetadata/v1/", "http://kubernetes.default.svc/",
      "http://minio.mp3.svc.cluster.local/mp3/"})
  void addressFormsOfPrivatePlacesAreRefusedAtIntake(String template) throws Exception {
    assertRefusedAtIntake(withCanary(template));
  }

  @ParameterizedTest(name = "trick: {0}")
  @ValueSource(strings = {
      "http://files.hostile.test@127.0.0.1:{canary}/song.wav", "http://127.0.0.1:{canary}@files.hostile.test/tone.wav",
      "http://user:pass@files.hostile.test/tone.wav", "http://127.0.0.1:{canary}#@files.hostile.test/tone.wav",
      "http://127.0.0.1:{canary}\\@files.hostile.test/tone.wav", "http://files.hostile.test\\@127.0.0.1:{canary}/song.wav",
      "http://%31%32%37.0.0.1:{canary}/song.wav", "http://127.0.0.1%2f@files.hostile.test/tone.wav",
      "file:///etc/passwd", "ftp://files.hostile.test/tone.wav", "gopher://127.0.0.1:{canary}/_GET%20/song.wav",
      "dict://127.0.0.1:{canary}/info", "jar:http://files.hostile.test/a.jar!/tone.wav", "netdoc:///etc/passwd",
      "data:audio/wav;base64,UklGRg==", "javascript:alert(1)", "//files.hostile.test/tone.wav",
      "http://files.hostile.test:22/tone.wav", "http://files.hostile.test:5432/tone.wav",
      "http://files.hostile.test:5672/tone.wav", "http://files.hostile.test:9000/mp3/",
      "http://files.hostile.test:65536/tone.wav"})
  void userinfoFragmentSchemePortAndLengthTricksAreRefusedAtIntake(String template) throws Exception {
    assertRefusedAtIntake(withCanary(template));
  }

  /** Past 2,048 characters the URL check refuses it; past 4,096 the body reader does, before any URL parsing. */
  @ParameterizedTest(name = "a {0}-character URL")
  @CsvSource({"3000, invalid-url", "10000, field-too-long"})
  void anOverlongUrlIsRefused(int length, String type) throws Exception {
    String user = newUser();
    String url = FILES + "/" + "a".repeat(length - FILES.length() - 5) + ".wav";

    assertProblem(send("POST", "/conversions", bearer(user), json(Map.of("url", url))), 400, type);
    assertNoJobs(user);
  }

  // ------------------------------------------------------------------------------------------ source URLs: worker

  @ParameterizedTest(name = "name: {0}")
  @ValueSource(strings = {
      "http://" + HostileNetwork.LOOPBACK_NAME + ":{canary}/song.wav",
      "http://" + HostileNetwork.V6_LOOPBACK_NAME + ":{canary}/song.wav",
      "http://" + HostileNetwork.MIXED_NAME + ":{canary}/song.wav"})
  void aNameThatResolvesToThisMachineFailsAsBlockedUrl(String template) throws Exception {
    assertJobFails(withCanary(template), "blocked_url");
  }

  static Stream<Arguments> redirects() {
    return Stream.of(
        Arguments.of("/to-loopback", "http://127.0.0.1:{canary}/song.wav"),
        Arguments.of("/to-loopback-name", "http://" + HostileNetwork.LOOPBACK_NAME + ":{canary}/song.wav"),
        Arguments.of("/to-v6-loopback", "http://[::1]:{canary}/song.wav"),
        Arguments.of("/to-mapped", "http://[::ffff:127.0.0.1]:{canary}/song.wav"),
        Arguments.of("/to-decimal", "http://2130706433:{canary}/song.wav"),
        Arguments.of("/to-hex", "http://0x7f.1:{canary}/song.wav"),
        Arguments.of("/to-localhost", "http://localhost.:{canary}/song.wav"),
        Arguments.of("/to-userinfo", "http://files.hostile.test@127.0.0.1:{canary}/song.wav"),
        Arguments.of("/to-scheme-relative", "//127.0.0.1:{canary}/song.wav"),
        Arguments.of("/to-mixed", "http://" + HostileNetwork.MIXED_NAME + ":{canary}/song.wav"),
        Arguments.of("/to-file", "file:///etc/passwd"),
        Arguments.of("/to-gopher", "gopher://127.0.0.1:{canary}/_GET%20/song.wav"),
        Arguments.of("/hop1", "/hop2 (public), then http://127.0.0.1:{canary}/song.wav"));
  }

  @ParameterizedTest(name = "redirect {0} -> {1}")
  @MethodSource("redirects")
  void aRedirectToThisMachineFailsAsBlockedUrl(String path, String location) throws Exception {
    assertJobFails(FILES + path, "blocked_url");
    assertThat(filesServer.requests()).as("the public first hop was fetched").anyMatch(r -> r.path().equals(path));
  }

  @Test
  void aFragmentNeverRedirectsTheFetch() throws Exception {
    String user = newUser();
    JsonNode job = awaitFinal(user, submit(user, withCanary(FILES + "/tone.wav#@127.0.0.1:{canary}/song.wav")));

    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(job.get("sourceUrl").asText()).isEqualTo(FILES + "/tone.wav");
  }

  @Test
  void aRebindingNameIsResolvedOnceAndTheCheckedAddressIsUsed() throws Exception {
    String name = HostileNetwork.REBIND_PREFIX + "-" + UUID.randomUUID() + ".hostile.test";
    String user = newUser();

    JsonNode job = awaitFinal(user, submit(user, "http://" + name + "/tone.wav"));

    // The first answer was public (the file server), every later one loopback: one lookup, at connect time.
    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(dns.lookups(name)).isEqualTo(1);
  }

  // ------------------------------------------------------------------------------------------ media

  @ParameterizedTest(name = "not audio: {0}")
  @ValueSource(strings = {"notes.wav", "cover.wav", "hls.wav", "hls-key.wav", "ffconcat.wav", "concat-list.wav",
      "dash.wav", "sdp.wav", "subtitles.wav", "page.wav", "empty.wav", "video-only.mp4"})
  void whatIsNotOneAudioFileFailsAsNotAudio(String file) throws Exception {
    assertJobFails(FILES + "/" + file, "not_audio");
  }

  @Test
  void aCompressionBombIsNeitherInflatedNorAudio() throws Exception {
    assertJobFails(FILES + "/bomb.wav", "not_audio");
    assertThat(bombBytes.get()).as("bytes sent for 20 MB of zeros").isLessThan(100_000);
  }

  // ------------------------------------------------------------------------------------------ source limits

  @ParameterizedTest(name = "too large: {0}")
  @ValueSource(strings = {"announced-too-large.wav", "endless.wav", "one-byte-over.wav"})
  void aBodyOverTheCapFailsAsSourceTooLarge(String file) throws Exception {
    assertJobFails(FILES + "/" + file, "source_too_large");
  }

  @Test
  void aSlowDripIsStoppedAtTheDeadline() throws Exception {
    assertJobFails(FILES + "/drip.wav", "source_unreachable");
    assertThat(drips.get()).as("bytes dripped before the worker hung up").isLessThan(20);
  }

  // ------------------------------------------------------------------------------------------ access tokens

  /** An Authorization header built when its case runs (a time-bound token must not age while earlier cases run). */
  @FunctionalInterface
  interface Authorization {
    String header() throws Exception;
  }

  private static Authorization whenRun(Authorization authorization) {
    return authorization;
  }

  Stream<Arguments> forgedAccessTokens() throws Exception {
    String user = UUID.randomUUID().toString();
    String currentKid = Ed25519Jwk.thumbprint(currentKey.getPublic());
    String attackerKid = Ed25519Jwk.thumbprint(attackerKey.getPublic());
    PrivateKey ours = currentKey.getPrivate();
    byte[] rawX = Base64.getUrlDecoder().decode(Ed25519Jwk.x(currentKey.getPublic()));
    String jwks = Json.MESSAGES.writeValueAsString(Map.of("keys", List.of(Ed25519Jwk.toJwk(currentKid, currentKey.getPublic()))));
    return Stream.of(
        Arguments.of("no Authorization header", whenRun(() -> null)),
        Arguments.of("Basic credentials", whenRun(() -> "Basic dXNlcjpwYXNz")),
        Arguments.of("an empty bearer", whenRun(() -> "Bearer ")),
        Arguments.of("not a JWT", whenRun(() -> "Bearer not.a.token")),
        Arguments.of("alg none", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("none").header("kid", currentKid), user).unsigned())),
        Arguments.of("signature stripped", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).unsigned())),
        Arguments.of("HS256 keyed with our public key (DER)",
            whenRun(() -> "Bearer " + claims(ForgedJwt.alg("HS256").header("kid", currentKid), user).signHs256(currentKey.getPublic().getEncoded()))),
        Arguments.of("HS256 keyed with our public key (raw)",
            whenRun(() -> "Bearer " + claims(ForgedJwt.alg("HS256").header("kid", currentKid), user).signHs256(rawX))),
        Arguments.of("HS256 keyed with our JWKS",
            whenRun(() -> "Bearer " + claims(ForgedJwt.alg("HS256").header("kid", currentKid), user).signHs256(jwks.getBytes(StandardCharsets.UTF_8)))),
        Arguments.of("a foreign kid", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", attackerKid), user).signEd25519(attackerKey.getPrivate()))),
        Arguments.of("our kid, another key", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).signEd25519(attackerKey.getPrivate()))),
        Arguments.of("an embedded jwk", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", attackerKid)
            .header("jwk", Ed25519Jwk.toJwk(attackerKid, attackerKey.getPublic())), user).signEd25519(attackerKey.getPrivate()))),
        Arguments.of("a jku to elsewhere", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", attackerKid)
            .header("jku", "http://127.0.0.1:" + canary.port() + "/jwks.json"), user).signEd25519(attackerKey.getPrivate()))),
        Arguments.of("kid path traversal", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", "../../../../dev/null"), user).signEd25519(ours))),
        Arguments.of("no kid", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA"), user).signEd25519(ours))),
        Arguments.of("no exp", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).claim("exp", null).signEd25519(ours))),
        Arguments.of("wrong aud", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).claim("aud", "someone-else").signEd25519(ours))),
        Arguments.of("the download audience", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user)
            .claim("aud", "mp3-converter-download").signEd25519(ours))),
        Arguments.of("wrong iss", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).claim("iss", "evil").signEd25519(ours))),
        Arguments.of("use download", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).claim("use", "download").signEd25519(ours))),
        Arguments.of("no sub", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user).claim("sub", null).signEd25519(ours))),
        Arguments.of("a sub that is not a user id", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user)
            .claim("sub", "admin").signEd25519(ours))),
        Arguments.of("expired a second past the skew", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user)
            .claim("exp", Instant.now().getEpochSecond() - SKEW.toSeconds() - 1).signEd25519(ours))),
        Arguments.of("not valid until a second past the skew", whenRun(() -> "Bearer " + claims(ForgedJwt.alg("EdDSA").header("kid", currentKid), user)
            .claim("nbf", Instant.now().getEpochSecond() + SKEW.toSeconds() + 2).signEd25519(ours))),
        Arguments.of("5,000 characters", whenRun(() -> "Bearer " + "a".repeat(5_000))),
        Arguments.of("a download token", whenRun(() -> "Bearer " + downloadTokens(Clock.systemUTC()).issue(UUID.randomUUID().toString(), user).token())),
        Arguments.of("the internal service credential", whenRun(() -> "Bearer " + internalToken)));
  }

  @ParameterizedTest(name = "access token: {0}")
  @MethodSource("forgedAccessTokens")
  void aForgedOrMisusedAccessTokenIs401(String name, Authorization authorization) throws Exception {
    HttpResponse<String> response = send("POST", "/conversions", authorization.header(),
        json(Map.of("url", FILES + "/tone.wav")));

    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
  }

  Stream<Arguments> wrongDoors() throws Exception {
    String user = UUID.randomUUID().toString();
    String access = bearer(user).substring("Bearer ".length());
    String download = downloadTokens(Clock.systemUTC()).issue(UUID.randomUUID().toString(), user).token();
    String link = json(Map.of("conversionId", UUID.randomUUID().toString()));
    return Stream.of(
        Arguments.of("an access token as a download link", "GET", "/downloads/" + access, null, null, 403, "invalid-download-token"),
        Arguments.of("an access token at the internal API", "POST", "/internal/download-links", "Bearer " + access, link, 401, "unauthorized"),
        Arguments.of("a download token at the internal API", "POST", "/internal/download-links", "Bearer " + download, link, 401, "unauthorized"),
        Arguments.of("the internal credential but its last character", "POST", "/internal/download-links",
            "Bearer " + internalToken.substring(0, internalToken.length() - 1), link, 401, "unauthorized"),
        Arguments.of("the internal credential and one more character", "POST", "/internal/download-links",
            "Bearer " + internalToken + "x", link, 401, "unauthorized"),
        Arguments.of("the internal credential as Basic", "POST", "/internal/download-links",
            "Basic " + Base64.getEncoder().encodeToString(("notifier:" + internalToken).getBytes(StandardCharsets.UTF_8)),
            link, 401, "unauthorized"));
  }

  @ParameterizedTest(name = "wrong door: {0}")
  @MethodSource("wrongDoors")
  void aCredentialAtTheWrongDoorIsRefused(String name, String method, String path, String authorization, String body,
      int status, String type) throws Exception {
    assertProblem(send(method, path, authorization, body), status, type);
  }

  Stream<Arguments> rotation() {
    String user = UUID.randomUUID().toString();
    Instant now = Instant.now();
    AccessTokenIssuer previousIssuer = issuer(previousKey, Clock.systemUTC());
    AccessTokenIssuer previousLongAgo = issuer(previousKey, Clock.fixed(now.minus(Duration.ofMinutes(15)).minus(SKEW)
        .minusSeconds(1), java.time.ZoneOffset.UTC));
    String previousKid = Ed25519Jwk.thumbprint(previousKey.getPublic());
    AccessClaims claims = new AccessClaims(user, user + "@example.com", "Rotated", true);
    return Stream.of(
        Arguments.of("a token of the previous key, still valid", "Bearer " + previousIssuer.issue(claims), 200),
        Arguments.of("a token of the current key", bearer(user), 200),
        Arguments.of("a token of the previous key, expired a second past the skew", "Bearer " + previousLongAgo.issue(claims), 401),
        Arguments.of("the previous key's kid on a token the current key signed", "Bearer "
            + claims(ForgedJwt.alg("EdDSA").header("kid", previousKid), user).signEd25519(currentKey.getPrivate()), 401));
  }

  @ParameterizedTest(name = "key rotation: {0}")
  @MethodSource("rotation")
  void duringAKeyRotationOldTokensWorkUntilTheyExpire(String name, String authorization, int status) throws Exception {
    HttpResponse<String> response = send("GET", "/conversions", authorization, null);
    if (status == 200) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    } else {
      assertProblem(response, status, "unauthorized");
    }
  }

  @Test
  void theJwksPublishesBothKeysAndALoginSignsWithTheCurrentOne() throws Exception {
    HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(
        "http://127.0.0.1:" + system.ports(Service.AUTH).http() + "/.well-known/jwks.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    List<String> kids = new ArrayList<>();
    Json.MESSAGES.readTree(jwks.body()).get("keys").forEach(k -> kids.add(k.get("kid").asText()));
    assertThat(kids).containsExactly(Ed25519Jwk.thumbprint(currentKey.getPublic()), Ed25519Jwk.thumbprint(previousKey.getPublic()));
    assertThat(jwks.body()).doesNotContain("\"d\"");

    String token = registerAndLogin("rotation-" + UUID.randomUUID() + "@example.com");
    JsonNode header = Json.MESSAGES.readTree(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))));
    assertThat(header.get("kid").asText()).isEqualTo(Ed25519Jwk.thumbprint(currentKey.getPublic()));
    assertThat(header.get("alg").asText()).isEqualTo("EdDSA");
    assertThat(send("GET", "/conversions", "Bearer " + token, null).statusCode()).isEqualTo(200);
  }

  // ------------------------------------------------------------------------------------------ request bodies

  static Stream<Arguments> conversionBodies() {
    String url = "\"url\":\"" + FILES + "/tone.wav\"";
    return Stream.of(
        body("malformed: unclosed", "{", 400, "invalid-json"),
        body("malformed: missing value", "{\"url\": }", 400, "invalid-json"),
        body("malformed: single quotes", "{'url':'" + FILES + "/tone.wav'}", 400, "invalid-json"),
        body("malformed: trailing comma", "{" + url + ",}", 400, "invalid-json"),
        body("malformed: two documents", "{" + url + "}{" + url + "}", 400, "invalid-json"),
        body("malformed: comment", "/**/{" + url + "}", 400, "invalid-json"),
        body("malformed: NaN", "{\"url\":NaN}", 400, "invalid-json"),
        body("malformed: empty", "", 400, "invalid-json"),
        body("malformed: null", "null", 400, "invalid-json"),
        body("malformed: an array", "[{" + url + "}]", 400, "invalid-json"),
        // The body reaches the reader decoded as UTF-8 with U+FFFD for a broken byte: a URL no check accepts.
        body("invalid UTF-8 in the url", new byte[] {'{', '"', 'u', 'r', 'l', '"', ':', '"', (byte) 0xff, '"', '}'}, 400, "invalid-url"),
        body("wrong type: url is a number", "{\"url\":12345}", 400, "invalid-json"),
        body("wrong type: url is an object", "{\"url\":{\"href\":\"" + FILES + "/tone.wav\"}}", 400, "invalid-json"),
        body("wrong type: url is an array", "{\"url\":[\"" + FILES + "/tone.wav\"]}", 400, "invalid-json"),
        body("wrong type: bitrate is a number", "{" + url + ",\"bitrate\":192}", 400, "invalid-json"),
        body("null url", "{\"url\":null}", 400, "invalid-url"),
        body("unknown field: someone else's user id", "{" + url + ",\"userId\":\"" + UUID.randomUUID() + "\"}", 400, "invalid-json"),
        body("unknown field: status", "{" + url + ",\"status\":\"completed\"}", 400, "invalid-json"),
        body("unknown field: __proto__", "{" + url + ",\"__proto__\":{\"admin\":true}}", 400, "invalid-json"),
        body("duplicate url", "{" + url + ",\"url\":\"http://127.0.0.1/\"}", 400, "invalid-json"),
        body("deep: 10,000 arrays", "[".repeat(10_000), 400, "json-too-deep"),
        body("deep: nested objects", "{\"url\":" + "{\"a\":".repeat(30) + "1" + "}".repeat(31), 400, "json-too-deep"),
        body("long: a 5,000-character field name", "{\"" + "k".repeat(5_000) + "\":1}", 400, "field-too-long"),
        body("long: a 1,000-digit number", "{\"url\":" + "9".repeat(1_000) + "}", 400, "field-too-long"),
        body("huge: 20 KB", "{" + url + ",\"pad\":\"" + "x".repeat(20_000) + "\"}", 413, "payload-too-large"),
        body("bitrate outside the list", "{" + url + ",\"bitrate\":\"1000k\"}", 400, "invalid-bitrate"),
        body("bitrate that is an ffmpeg option", "{" + url + ",\"bitrate\":\"-f lavfi -i anullsrc\"}", 400, "invalid-bitrate"));
  }

  @ParameterizedTest(name = "POST /conversions {0}")
  @MethodSource("conversionBodies")
  void aHostileConversionBodyIsRefusedPrecisely(String name, byte[] body, int status, String type) throws Exception {
    String user = newUser();

    assertProblem(sendBytes("POST", "/conversions", bearer(user), "application/json", body), status, type);
    assertNoJobs(user);
  }

  @Test
  void anEndlessChunkedBodyIsCutAtTheCap() throws Exception {
    String user = newUser();
    byte[] megabyte = new byte[1024 * 1024];
    Arrays.fill(megabyte, (byte) ' ');
    HttpRequest request = HttpRequest.newBuilder(uri("/conversions"))
        .header("Authorization", bearer(user)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(megabyte)))
        .build();

    assertProblem(record(http.send(request, HttpResponse.BodyHandlers.ofString())), 413, "payload-too-large");
  }

  static Stream<Arguments> authBodies() {
    String email = "\"email\":\"mallory-" + UUID.randomUUID() + "@example.com\"";
    String password = "\"password\":\"correct horse battery\"";
    return Stream.of(
        auth("/auth/register", "malformed", "{" + email + ",", 400, "invalid-json"),
        auth("/auth/register", "an extra role", "{" + email + "," + password + ",\"name\":\"M\",\"role\":\"admin\"}", 400, "invalid-json"),
        auth("/auth/register", "a numeric password", "{" + email + ",\"password\":12345678,\"name\":\"M\"}", 400, "invalid-json"),
        auth("/auth/register", "deep", "{" + email + ",\"name\":" + "[".repeat(100) + "]".repeat(100) + "}", 400, "json-too-deep"),
        auth("/auth/register", "a 5,000-character name", "{" + email + "," + password + ",\"name\":\"" + "n".repeat(5_000) + "\"}", 400, "field-too-long"),
        auth("/auth/register", "a 300-character name", "{" + email + "," + password + ",\"name\":\"" + "n".repeat(300) + "\"}", 400, "validation-failed"),
        auth("/auth/register", "a 129-character password", "{" + email + ",\"password\":\"" + "p".repeat(129) + "\",\"name\":\"M\"}", 400, "validation-failed"),
        auth("/auth/register", "a 7-character password", "{" + email + ",\"password\":\"1234567\",\"name\":\"M\"}", 400, "validation-failed"),
        auth("/auth/register", "a header injection in the email", "{\"email\":\"m@example.com\\r\\nBcc: all@example.com\"," + password + ",\"name\":\"M\"}", 400, "validation-failed"),
        auth("/auth/register", "a header injection in the name", "{" + email + "," + password + ",\"name\":\"M\\r\\nBcc: all@example.com\"}", 400, "validation-failed"),
        auth("/auth/register", "20 KB", "{" + email + "," + password + ",\"name\":\"" + "n".repeat(20_000) + "\"}", 413, "payload-too-large"),
        auth("/auth/login", "malformed", "{\"email\":", 400, "invalid-json"),
        auth("/auth/login", "an extra field", "{" + email + "," + password + ",\"remember\":true}", 400, "invalid-json"),
        auth("/auth/login", "an email array", "{\"email\":[\"a@example.com\"]," + password + "}", 400, "invalid-json"),
        auth("/auth/login", "a duplicate email", "{" + email + ",\"email\":\"other@example.com\"," + password + "}", 400, "invalid-json"),
        auth("/auth/login", "a 200-character password", "{" + email + ",\"password\":\"" + "p".repeat(200) + "\"}", 400, "validation-failed"),
        auth("/auth/login", "a 300-character email", "{\"email\":\"" + "e".repeat(288) + "@example.com\"," + password + "}", 400, "validation-failed"),
        auth("/auth/login", "a 10,000-character password", "{" + email + ",\"password\":\"" + "p".repeat(10_000) + "\"}", 400, "field-too-long"));
  }

  @ParameterizedTest(name = "POST {0} {1}")
  @MethodSource("authBodies")
  void aHostileAuthBodyIsRefusedPrecisely(String path, String name, byte[] body, int status, String type) throws Exception {
    assertProblem(sendBytes("POST", path, null, "application/json", body), status, type);
  }

  @ParameterizedTest(name = "POST {0} as {1}")
  @MethodSource("contentTypes")
  void aBodyThatIsNotJsonIsRefused(String path, String contentType, int status, String type) throws Exception {
    String body = "url=" + FILES + "/tone.wav&email=a%40example.com&password=correct+horse+battery";
    assertProblem(sendBytes("POST", path, bearer(newUser()), contentType, body.getBytes(StandardCharsets.UTF_8)),
        status, type);
  }

  /**
   * The REST routes declare that they consume JSON; anything else is refused by Spring MVC before any route.
   * {@code POST /conversions} also takes uploads: a multipart body without parts is a malformed upload (400).
   */
  static Stream<Arguments> contentTypes() {
    return Stream.of(
        Arguments.of("/conversions", "application/x-www-form-urlencoded", 415, "about:blank"),
        Arguments.of("/conversions", "multipart/form-data; boundary=x", 400, "invalid-multipart"),
        Arguments.of("/conversions", "text/xml", 415, "about:blank"),
        Arguments.of("/auth/register", "application/x-www-form-urlencoded", 415, "about:blank"),
        Arguments.of("/auth/login", "multipart/form-data; boundary=x", 415, "about:blank"));
  }

  static Stream<Arguments> internalBodies() {
    return Stream.of(
        body("a numeric id", "{\"conversionId\":5}", 400, "invalid-json"),
        body("a path for an id", "{\"conversionId\":\"../../etc/passwd\"}", 400, "invalid-conversion-id"),
        body("SQL for an id", "{\"conversionId\":\"' OR '1'='1\"}", 400, "invalid-conversion-id"),
        body("an extra user id", "{\"conversionId\":\"" + UUID.randomUUID() + "\",\"userId\":\"x\"}", 400, "invalid-json"),
        body("deep", "{\"conversionId\":" + "[".repeat(50) + "]".repeat(50) + "}", 400, "json-too-deep"),
        body("20 KB", "{\"conversionId\":\"" + "0".repeat(20_000) + "\"}", 413, "payload-too-large"));
  }

  @ParameterizedTest(name = "POST /internal/download-links {0}")
  @MethodSource("internalBodies")
  void aHostileInternalBodyIsRefusedPrecisely(String name, byte[] body, int status, String type) throws Exception {
    assertProblem(sendBytes("POST", "/internal/download-links", "Bearer " + internalToken, "application/json", body),
        status, type);
  }

  // ------------------------------------------------------------------------------------------ limits

  @Test
  void aUserPastTheSubmissionRateIsRefusedWith429() throws Exception {
    String user = newUser();
    for (int round = 0; round < 2; round++) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        ids.add(submit(user, FILES + "/missing-" + round + "-" + i + ".wav"));
      }
      for (String id : ids) {
        assertThat(awaitFinal(user, id).get("error").get("reason").asText()).isEqualTo("source_not_found");
      }
    }

    HttpResponse<String> eleventh = send("POST", "/conversions", bearer(user), json(Map.of("url", FILES + "/tone.wav")));

    assertProblem(eleventh, 429, "too-many-requests");
    assertThat(eleventh.headers().firstValue("Retry-After")).hasValueSatisfying(
        v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
    assertThat(Json.MESSAGES.readTree(send("GET", "/conversions?limit=100", bearer(user), null).body()).get("items"))
        .hasSize(10);
  }

  @Test
  void aUserWithTooManyUnfinishedJobsIsRefusedWith429UntilOneEnds() throws Exception {
    String user = newUser();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      ids.add(submit(user, FILES + "/hold.wav?n=" + i));
    }

    HttpResponse<String> sixth = send("POST", "/conversions", bearer(user), json(Map.of("url", FILES + "/tone.wav")));
    assertProblem(sixth, 429, "too-many-active-jobs");
    assertThat(sixth.headers().firstValue("Retry-After")).hasValue("15");

    held.countDown();
    for (String id : ids) {
      awaitFinal(user, id);
    }
    assertThat(send("POST", "/conversions", bearer(user), json(Map.of("url", FILES + "/tone.wav"))).statusCode())
        .isEqualTo(202);
  }

  // ------------------------------------------------------------------------------------------ downloads

  @Test
  @Order(1)
  void aHostileSourceNameNeverReachesAResponseHeader() throws Exception {
    HttpResponse<byte[]> download = http.send(HttpRequest.newBuilder(uri("/downloads/" + hostileDownload())).build(),
        HttpResponse.BodyHandlers.ofByteArray());

    assertThat(download.statusCode()).isEqualTo(200);
    assertThat(download.headers().allValues("Content-Disposition"))
        .containsExactly("attachment; filename=\"evil_Set-Cookie_session_stolen.mp3\"");
    assertThat(download.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Set-Cookie"));
    assertThat(download.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  Stream<Arguments> hostileDownloads() throws Exception {
    String token = hostileDownload();
    String other = UUID.randomUUID().toString();
    DownloadTokens lastWeek = downloadTokens(Clock.offset(Clock.systemUTC(), Duration.ofDays(-7).minusSeconds(1)));
    DownloadTokens otherKey = new DownloadTokens(randomBytes(32), "mp3-converter-gateway", "mp3-converter-download",
        Duration.ofDays(7), Clock.systemUTC());
    return Stream.of(
        Arguments.of("a range past the end", token, "bytes=999999999-", 416, "range-not-satisfiable"),
        Arguments.of("an empty suffix range", token, "bytes=-0", 416, "range-not-satisfiable"),
        Arguments.of("a backwards range", token, "bytes=5-1", 200, null),
        Arguments.of("several ranges", token, "bytes=0-1,5-6", 200, null),
        Arguments.of("a range that is not numbers", token, "bytes=abc", 200, null),
        Arguments.of("a range in another unit", token, "items=0-1", 200, null),
        Arguments.of("a range past 64 bits", token, "bytes=99999999999999999999-", 200, null),
        Arguments.of("the job with another user", downloadTokens(Clock.systemUTC()).issue(hostileDownloadJob, other).token(),
            null, 404, "not-found"),
        Arguments.of("expired a second ago", lastWeek.issue(hostileDownloadJob, hostileDownloadUser).token(), null, 410,
            "download-expired"),
        Arguments.of("signed with another key", otherKey.issue(hostileDownloadJob, hostileDownloadUser).token(), null, 403,
            "invalid-download-token"),
        Arguments.of("alg none", ForgedJwt.alg("none").claims(Map.of("iss", "mp3-converter-gateway",
            "aud", "mp3-converter-download", "sub", hostileDownloadUser, "job", hostileDownloadJob, "use", "download",
            "exp", Instant.now().plusSeconds(600).getEpochSecond())).unsigned(), null, 403, "invalid-download-token"),
        Arguments.of("the owner's access token", bearer(hostileDownloadUser).substring(7), null, 403, "invalid-download-token"),
        Arguments.of("3,000 characters", "a".repeat(3_000), null, 403, "invalid-download-token"));
  }

  @ParameterizedTest(name = "download: {0}")
  @MethodSource("hostileDownloads")
  void aHostileDownloadRequestIsAnsweredPrecisely(String name, String token, String range, int status, String type)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri("/downloads/" + token));
    if (range != null) {
      request.header("Range", range);
    }
    HttpResponse<String> response = record(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    if (type == null) {
      assertThat(response.statusCode()).isEqualTo(status);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("audio/mpeg");
      assertThat(response.headers().firstValue("Content-Range")).isEmpty();
    } else {
      assertProblem(response, status, type);
    }
  }

  // ------------------------------------------------------------------------------------------ the rest of HTTP

  static Stream<Arguments> strayRequests() {
    return Stream.of(
        Arguments.of("DELETE /conversions", "DELETE", "/conversions", 405, "about:blank"),
        Arguments.of("PUT /conversions/{id}", "PUT", "/conversions/" + UUID.randomUUID(), 405, "about:blank"),
        Arguments.of("GET /internal/download-links", "GET", "/internal/download-links", 405, "about:blank"),
        Arguments.of("GET /actuator/health on the API port", "GET", "/actuator/health", 404, "about:blank"),
        Arguments.of("GET /WEB-INF/web.xml", "GET", "/WEB-INF/web.xml", 404, "about:blank"),
        Arguments.of("a 6 KB job id", "GET", "/conversions/" + "a".repeat(6_000), 404, "not-found"),
        // Past Tomcat's 8 KB request-header limit: refused before any servlet, still as a problem.
        Arguments.of("a 10 KB request line", "GET", "/conversions/" + "a".repeat(10_000), 400, "about:blank"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("strayRequests")
  void aRequestNoRouteServesIsAProblem(String name, String method, String path, int status, String type)
      throws Exception {
    assertProblem(send(method, path, bearer(newUser()), null), status, type);
  }

  // ------------------------------------------------------------------------------------------ nothing leaked

  @Test
  @Order(Integer.MAX_VALUE)
  void noSecretWasLoggedOrAnswered() {
    List<String> lines = logs.lines();
    assertThat(lines).as("log lines captured during the suite").isNotEmpty();
    for (String secret : secrets) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(secret));
      assertThat(answered).as("response bodies").noneMatch(body -> body.contains(secret));
    }
    assertThat(credentials).as("credentials issued during the run").isNotEmpty();
    for (String credential : credentials) {
      assertThat(lines).as("log lines").noneMatch(line -> line.contains(credential));
    }
  }

  // ------------------------------------------------------------------------------------------ helpers

  private void assertRefusedAtIntake(String url) throws Exception {
    String user = newUser();
    assertProblem(send("POST", "/conversions", bearer(user), json(Map.of("url", url))), 400, "invalid-url");
    assertNoJobs(user);
  }

  private void assertJobFails(String url, String reason) throws Exception {
    String user = newUser();
    JsonNode job = awaitFinal(user, submit(user, url));
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("failed");
    assertThat(job.get("error").get("reason").asText()).as(job.toString()).isEqualTo(reason);
    assertClean(job.toString());
  }

  private void assertNoJobs(String user) throws Exception {
    HttpResponse<String> list = send("GET", "/conversions", bearer(user), null);
    assertThat(Json.MESSAGES.readTree(list.body()).get("items")).isEmpty();
  }

  private void assertProblem(HttpResponse<String> response, int status, String slug) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
        v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = Json.MESSAGES.readTree(response.body());
    assertThat(problem.get("type").asText()).isEqualTo(slug.startsWith("about:") ? slug : "/problems/" + slug);
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(response.headers().map().keySet()).noneMatch(
        h -> h.equalsIgnoreCase("Authorization") || h.equalsIgnoreCase("Set-Cookie"));
    assertClean(response.body());
  }

  /** No stack trace, SQL, class or file path, and none of the run's secrets. */
  private void assertClean(String body) {
    assertThat(body).doesNotContain("Exception", "\tat ", "SELECT ", "INSERT ", "DELETE FROM", "com.mp3converter",
        "org.apache", "java.", "/tmp/", "/work/", "/home/");
    for (String secret : secrets) {
      assertThat(body).doesNotContain(secret);
    }
  }

  private String submit(String user, String url) throws Exception {
    HttpResponse<String> response = send("POST", "/conversions", bearer(user), json(Map.of("url", url)));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.MESSAGES.readTree(response.body()).get("id").asText();
  }

  private JsonNode awaitFinal(String user, String id) {
    return await().atMost(OUTCOME).pollInterval(Duration.ofMillis(100)).until(() -> {
      HttpResponse<String> status = send("GET", "/conversions/" + id, bearer(user), null);
      assertThat(status.statusCode()).isEqualTo(200);
      return Json.MESSAGES.readTree(status.body());
    }, job -> List.of("completed", "failed").contains(job.get("status").asText()));
  }

  /** A completed job whose source URL's name is built to break headers; its download token. */
  private synchronized String hostileDownload() throws Exception {
    if (hostileDownloadJob == null) {
      hostileDownloadUser = newUser();
      hostileDownloadJob = submit(hostileDownloadUser,
          FILES + "/..%2F..%2Fevil%22%0D%0ASet-Cookie:%20session=stolen%3B.wav");
      JsonNode job = awaitFinal(hostileDownloadUser, hostileDownloadJob);
      assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("completed");
    }
    HttpResponse<String> link = send("POST", "/internal/download-links", "Bearer " + internalToken,
        json(Map.of("conversionId", hostileDownloadJob)));
    assertThat(link.statusCode()).as(link.body()).isEqualTo(200);
    String url = Json.MESSAGES.readTree(link.body()).get("url").asText();
    String token = url.substring(url.lastIndexOf('/') + 1);
    credentials.add(token);
    return token;
  }

  private String registerAndLogin(String email) throws Exception {
    HttpResponse<String> registered = send("POST", "/auth/register", null,
        json(Map.of("email", email, "password", PASSWORD, "name", "Hostile")));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(202);
    HttpResponse<String> verified = send("POST", "/auth/verify", null,
        json(Map.of("token", EmailLinks.awaitVerifyToken(resend, email))));
    assertThat(verified.statusCode()).as(verified.body()).isEqualTo(200);
    HttpResponse<String> login = send("POST", "/auth/login", null, json(Map.of("email", email, "password", PASSWORD)));
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    String token = Json.MESSAGES.readTree(login.body()).get("access_token").asText();
    credentials.add(token);
    return token;
  }

  private static String newUser() {
    return UUID.randomUUID().toString();
  }

  /** A genuine access token of the current key for this user. */
  private String bearer(String user) {
    return "Bearer " + issuer(currentKey, Clock.systemUTC())
        .issue(new AccessClaims(user, user + "@example.com", "Hostile " + user.substring(0, 8), true));
  }

  private AccessTokenIssuer issuer(KeyPair key, Clock clock) {
    String kid = Ed25519Jwk.thumbprint(key.getPublic());
    return new AccessTokenIssuer(key.getPrivate(), kid, Map.of(kid, key.getPublic()), ISSUER, AUDIENCE,
        Duration.ofMinutes(15), clock);
  }

  private DownloadTokens downloadTokens(Clock clock) {
    return new DownloadTokens(downloadKey, "mp3-converter-gateway", "mp3-converter-download", Duration.ofDays(7), clock);
  }

  /** The claims of a genuine access token, on a forged header. */
  private static ForgedJwt claims(ForgedJwt jwt, String user) {
    long now = Instant.now().getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISSUER);
    claims.put("aud", AUDIENCE);
    claims.put("sub", user);
    claims.put("use", "access");
    claims.put("iat", now);
    claims.put("exp", now + 600);
    return jwt.claims(claims);
  }

  private String withCanary(String template) {
    return template.replace("{canary}", Integer.toString(canary.port()));
  }

  private static Arguments body(String name, String body, int status, String slug) {
    return body(name, body.getBytes(StandardCharsets.UTF_8), status, slug);
  }

  private static Arguments body(String name, byte[] body, int status, String slug) {
    return Arguments.of(name, body, status, slug);
  }

  private static Arguments auth(String path, String name, String body, int status, String slug) {
    return Arguments.of(path, name, body.getBytes(StandardCharsets.UTF_8), status, slug);
  }

  private static String json(Object value) throws IOException {
    return Json.MESSAGES.writeValueAsString(value);
  }

  private URI uri(String path) {
    return URI.create(system.gatewayUrl() + path);
  }

  private HttpResponse<String> send(String method, String path, String authorization, String json) throws Exception {
    return sendBytes(method, path, authorization, json == null ? null : "application/json",
        json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  private HttpResponse<String> sendBytes(String method, String path, String authorization, String contentType,
      byte[] body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    request.method(method, body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body));
    return record(http.send(request.build(), HttpResponse.BodyHandlers.ofString()));
  }

  private HttpResponse<String> record(HttpResponse<String> response) {
    answered.add(response.body());
    return response;
  }

  // ------------------------------------------------------------------------------------------ the sources

  /** The files behind the made-up public host; playlists point at files on this machine and at the canary. */
  private void writeSources() throws IOException, InterruptedException {
    Path inside = AudioFixtures.writeSineWav(files.resolve("inside.wav"), 0.5).toAbsolutePath();
    AudioFixtures.writeSineWav(files.resolve("tone.wav"), 0.5);
    String canaryUrl = "http://127.0.0.1:" + canary.port() + "/song.wav";
    Files.writeString(files.resolve("notes.wav"), "Dear diary, today I pretended to be a WAV file.\n".repeat(50));
    Files.write(files.resolve("cover.wav"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0,
        13, 'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, (byte) 0x90, 'w', 'S', (byte) 0xde});
    Files.writeString(files.resolve("hls.wav"), "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n#EXTINF:1.0,\nfile://"
        + inside + "\n#EXTINF:1.0,\n" + canaryUrl + "\n#EXT-X-ENDLIST\n");
    Files.writeString(files.resolve("hls-key.wav"), "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXT-X-KEY:METHOD=AES-128,URI=\"file:///etc/passwd\"\n"
        + "#EXTINF:1.0,\n" + canaryUrl + "\n#EXT-X-ENDLIST\n");
    Files.writeString(files.resolve("ffconcat.wav"), "ffconcat version 1.0\nfile '" + inside + "'\nfile '" + canaryUrl + "'\n");
    Files.writeString(files.resolve("concat-list.wav"), "file '" + inside + "'\nfile '" + canaryUrl + "'\n");
    Files.writeString(files.resolve("dash.wav"), "<?xml version=\"1.0\"?>\n<MPD xmlns=\"urn:mpeg:dash:schema:mpd:2011\" "
        + "type=\"static\" mediaPresentationDuration=\"PT1S\"><Period><AdaptationSet mimeType=\"audio/wav\"><Representation "
        + "id=\"a\" bandwidth=\"1\"><BaseURL>" + canaryUrl + "</BaseURL></Representation></AdaptationSet></Period></MPD>\n");
    Files.writeString(files.resolve("sdp.wav"), "v=0\no=- 0 0 IN IP4 127.0.0.1\ns=x\nc=IN IP4 127.0.0.1\nt=0 0\nm=audio "
        + canary.port() + " RTP/AVP 0\n");
    Files.writeString(files.resolve("subtitles.wav"), "1\n00:00:00,000 --> 00:00:01,000\nnot audio\n");
    Files.writeString(files.resolve("page.wav"), "<!doctype html><html><body><audio src=\"" + canaryUrl + "\"></audio></body></html>\n");
    Files.write(files.resolve("empty.wav"), new byte[0]);
    Process ffmpeg = new ProcessBuilder("ffmpeg", "-nostdin", "-v", "error", "-f", "lavfi", "-i",
        "color=c=black:s=32x32:d=1", "-c:v", "mpeg4", "-y", files.resolve("video-only.mp4").toString())
        .redirectErrorStream(true).start();
    assertThat(ffmpeg.waitFor(30, TimeUnit.SECONDS) && ffmpeg.exitValue() == 0).as("ffmpeg made a video").isTrue();
  }

  private void scriptTheFileServer() throws IOException {
    byte[] tone = Files.readAllBytes(files.resolve("tone.wav"));
    redirects().forEach(arguments -> {
      String path = (String) arguments.get()[0];
      String location = withCanary((String) arguments.get()[1]);
      if (path.equals("/hop1")) {
        filesServer.redirect("/hop1", "/hop2").redirect("/hop2", withCanary("http://127.0.0.1:{canary}/song.wav"));
      } else {
        filesServer.redirect(path, location);
      }
    });
    filesServer.handle("/../../evil\"\r\nSet-Cookie: session=stolen;.wav", exchange -> {
      exchange.sendResponseHeaders(200, tone.length);
      exchange.getResponseBody().write(tone);
    });
    filesServer.handle("/announced-too-large.wav", exchange -> zeros(exchange, MAX_SOURCE_BYTES + 1_000_000, 4 * MAX_SOURCE_BYTES));
    filesServer.handle("/endless.wav", exchange -> zeros(exchange, 0, 50 * MAX_SOURCE_BYTES));
    filesServer.handle("/one-byte-over.wav", exchange -> zeros(exchange, 0, MAX_SOURCE_BYTES + 1));
    filesServer.handle("/drip.wav", StaticFileServer.drip(60, Duration.ofMillis(250), drips));
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(new byte[20_000_000]);
    }
    byte[] bomb = gzipped.toByteArray();
    filesServer.handle("/bomb.wav", exchange -> {
      exchange.getResponseHeaders().set("Content-Encoding", "gzip");
      exchange.sendResponseHeaders(200, bomb.length);
      exchange.getResponseBody().write(bomb);
      bombBytes.addAndGet(bomb.length);
    });
    filesServer.handle("/hold.wav", exchange -> {
      try {
        held.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException stop) {
        Thread.currentThread().interrupt();
      }
      exchange.sendResponseHeaders(404, -1);
    });
  }

  /** {@code announced} as Content-Length (0: chunked), then zeros until {@code max} or the worker hangs up. */
  private static void zeros(HttpExchange exchange, long announced, long max) {
    byte[] chunk = new byte[64 * 1024];
    long written = 0;
    try {
      exchange.sendResponseHeaders(200, announced);
      OutputStream out = exchange.getResponseBody();
      while (written < max) {
        int n = (int) Math.min(chunk.length, max - written);
        out.write(chunk, 0, n);
        written += n;
      }
    } catch (IOException workerHungUp) {
      // as it should
    }
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
        .encodeToString(der) + "\n-----END " + label + "-----\n";
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new java.security.SecureRandom().nextBytes(bytes);
    return bytes;
  }

  /** Every log event of the four services (and Camel, Spring, the drivers) while the suite runs. */
  static final class LogCapture extends AppenderBase<ILoggingEvent> {
    /** Test infrastructure, not ours: the in-process S3 server and the Resend stub log their own business. */
    private static final List<String> INFRASTRUCTURE = List.of("org.gaul", "org.eclipse.jetty", "wiremock",
        "com.github.tomakehurst");

    private final List<String> lines = new CopyOnWriteArrayList<>();

    static LogCapture attach() {
      LogCapture capture = new LogCapture();
      Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      capture.setContext(root.getLoggerContext());
      capture.setName("hostile-input-capture");
      capture.start();
      root.addAppender(capture);
      return capture;
    }

    void detach() {
      ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(this);
      stop();
    }

    List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    protected void append(ILoggingEvent event) {
      if (INFRASTRUCTURE.stream().anyMatch(prefix -> event.getLoggerName().startsWith(prefix))) {
        return;
      }
      StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ').append(event.getFormattedMessage());
      event.getMDCPropertyMap().forEach((k, v) -> line.append(' ').append(k).append('=').append(v));
      if (event.getThrowableProxy() != null) {
        line.append('\n').append(ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      lines.add(line.toString());
    }
  }

  /** Counts the cases that passed and prints the suite's line for CI logs. */
  static final class CaseCount implements TestWatcher, org.junit.jupiter.api.extension.AfterAllCallback {
    private final AtomicInteger passed = new AtomicInteger();
    private final AtomicInteger failed = new AtomicInteger();

    @Override
    public void testSuccessful(ExtensionContext context) {
      passed.incrementAndGet();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      failed.incrementAndGet();
    }

    @Override
    public void afterAll(ExtensionContext context) {
      System.out.printf("[hostile-input] %s: %d cases passed, %d failed%n",
          context.getRequiredTestClass().getSimpleName(), passed.get(), failed.get());
    }
  }
}
