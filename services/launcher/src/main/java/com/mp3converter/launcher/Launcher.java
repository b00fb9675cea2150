package com.mp3converter.launcher;

import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.local.LoopbackHttpServer;
import com.mp3converter.local.ResendApi;
import com.mp3converter.local.S3Server;
import com.mp3converter.local.StaticFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.convert.DurationStyle;

/**
 * One command for a whole local system: the four services plus whatever infrastructure is not configured
 * (an S3 server over a local folder, an email outbox instead of Resend, a file server for local sources).
 * Everything it keeps lives in one data folder, so a restart keeps users, jobs, keys and MP3s.
 * Production configuration is untouched: anything set in the environment wins over these defaults.
 */
public final class Launcher implements AutoCloseable {
  /** The links worth printing: downloads, and the account emails' verification and reset links. */
  private static final Pattern LINK = Pattern.compile("https?://\\S+/(downloads/|verify\\?token=|reset\\?token=)\\S+");

  private final Path data;
  private final Map<String, String> environment;
  private final Map<Service, LocalSystem.Ports> servicePorts;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Map<String, String> settings = new LinkedHashMap<>();
  private final List<String> notes = new ArrayList<>();
  /** The console's users as the banner shows them: a generated password is shown once, there. */
  private final List<String> consoleLogins = new ArrayList<>();

  /**
   * @param environment the settings as the environment gives them (System.getenv() in a real run)
   * @param servicePorts where the four services listen
   */
  public Launcher(Path data, Map<String, String> environment, Map<Service, LocalSystem.Ports> servicePorts) {
    this.data = data;
    this.environment = Map.copyOf(environment);
    this.servicePorts = servicePorts;
  }

  public static void main(String[] args) throws Exception {
    String dataDir = System.getenv().getOrDefault("MP3_DATA_DIR", ".mp3-data");
    Path data = Path.of(dataDir).toAbsolutePath().normalize();
    if (List.of(args).contains("--clean")) {
      deleteRecursively(data);
    }
    Launcher launcher = new Launcher(data, System.getenv(), LocalSystem.defaultPorts());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      launcher.close();
      stopped.countDown();
    }, "mp3-launcher-shutdown"));
    Instant start = Instant.now();
    try {
      LocalSystem system = launcher.start();
      launcher.banner(system, Duration.between(start, Instant.now()));
    } catch (Exception e) {
      System.err.println("mp3-converter could not start: " + e.getMessage());
      // Embedded servers run non-daemon threads; exiting runs the shutdown hook that stops them.
      System.exit(1);
    }
    stopped.await();
  }

  /** Starts what is missing, then the four services; answers once all four are up. */
  public LocalSystem start() throws Exception {
    Files.createDirectories(data);
    // What the environment sets reaches every service unchanged; the launcher only fills the gaps.
    environment.forEach((name, value) -> {
      if ((name.startsWith("MP3_") || name.startsWith("SPRING_")) && !value.isBlank()) {
        settings.put(name, value);
      }
    });
    // The services' API and management ports; the embedded servers below are loopback-only whatever this says.
    String bindAddress = env("MP3_BIND_ADDRESS", LocalSystem.LOOPBACK);
    settings.put("server.address", bindAddress);
    settings.put("management.server.address", bindAddress);
    startBroker();
    if (unset("MP3_S3_ENDPOINT")) {
      // Fresh credentials each run unless given (a process of one's own, such as bench/'s worker alone, then shares
      // this S3 server): the objects stay in the data folder, the key pair is only this run's.
      String bucket = env("MP3_S3_BUCKET", "mp3");
      S3Server s3 = S3Server.start(data.resolve("s3"), port("MP3_LOCAL_S3_PORT", 9000),
              env("MP3_S3_ACCESS_KEY", "mp3local-" + randomHex(4)), env("MP3_S3_SECRET_KEY", randomHex(24)))
          .createBucket(bucket);
      running.add(s3);
      expireObjects(s3, bucket);
      settings.put("MP3_S3_ENDPOINT", s3.endpoint());
      settings.put("MP3_S3_ACCESS_KEY", s3.accessKey());
      settings.put("MP3_S3_SECRET_KEY", s3.secretKey());
    }
    if (unset("MP3_RESEND_API_KEY")) {
      ResendApi api = new ResendApi("re_local_" + randomHex(16), this::deliverToOutbox);
      LoopbackHttpServer outbox =
          LoopbackHttpServer.start("local-outbox", port("MP3_LOCAL_OUTBOX_PORT", 8025), "/emails", api);
      running.add(outbox);
      settings.put("MP3_RESEND_BASE_URL", outbox.baseUrl());
      settings.put("MP3_RESEND_API_KEY", api.apiKey());
    }
    Path files = Files.createDirectories(data.resolve("files"));
    LoopbackHttpServer fileServer =
        LoopbackHttpServer.start("local-files", port("MP3_LOCAL_FILES_PORT", 8090), "/", new StaticFiles(files));
    running.add(fileServer);
    if (unset("MP3_ALLOW_PRIVATE_SOURCES")) {
      // A local tool converts local files: loopback sources (the file server above) are allowed here only.
      settings.put("MP3_ALLOW_PRIVATE_SOURCES", "true");
      settings.put("MP3_SOURCE_PORTS", "80,443," + fileServer.port());
    }
    if (unset("MP3_AUTH_SIGNING_KEY_FILE")) {
      settings.put("MP3_AUTH_SIGNING_KEY_FILE", signingKey().toString());
    }
    consoleUser("MP3_HAWTIO_VIEWER_USER", "viewer", "MP3_HAWTIO_VIEWER_PASSWORD");
    consoleUser("MP3_HAWTIO_ADMIN_USER", "admin", "MP3_HAWTIO_ADMIN_PASSWORD");
    if (unset("MP3_DOWNLOAD_TOKEN_KEY")) {
      settings.put("MP3_DOWNLOAD_TOKEN_KEY", downloadTokenKey());
    }
    if (unset("MP3_INTERNAL_TOKEN")) {
      // Gateway and notifier share it within this run; no service starts without one (StartupSecrets).
      settings.put("MP3_INTERNAL_TOKEN", randomHex(32));
    }
    Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
    if (unset("SPRING_DATASOURCE_URL")) {
      int pgPort = startDatabase();
      perService.put(Service.AUTH, Map.of("spring.datasource.url", localDatabase(pgPort, "mp3_auth")));
      perService.put(Service.GATEWAY, Map.of("spring.datasource.url", localDatabase(pgPort, "mp3_gateway")));
      perService.put(Service.NOTIFIER, Map.of("spring.datasource.url", localDatabase(pgPort, "mp3_notifier")));
    }
    LocalSystem system = LocalSystem.start(settings, perService, servicePorts);
    running.add(system);
    return system;
  }

  /**
   * A console user (Hawtio and Jolokia on the management ports): the password the environment sets, otherwise one
   * generated for this run and printed once in the banner, never written anywhere.
   */
  private void consoleUser(String userVariable, String defaultUser, String passwordVariable) {
    String user = env(userVariable, defaultUser);
    if (unset(passwordVariable)) {
      byte[] random = new byte[12];
      new SecureRandom().nextBytes(random);
      String password = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      settings.put(passwordVariable, password);
      consoleLogins.add(user + " / " + password + "  (generated for this run; set " + passwordVariable
          + " to choose one)");
    } else {
      consoleLogins.add(user + " / (" + passwordVariable + ")");
    }
  }

  /** The configured (or local default) RabbitMQ if it answers, otherwise an embedded broker on its port. */
  private void startBroker() throws Exception {
    String host = env("SPRING_RABBITMQ_HOST", "127.0.0.1");
    int port = port("SPRING_RABBITMQ_PORT", 5672);
    if (answers(host, port)) {
      notes.add("RabbitMQ              " + host + ":" + port);
    } else if (host.equals("127.0.0.1") || host.equals("localhost")) {
      running.add(new EmbeddedBroker(port));
      // The embedded broker has no dead-letter exchanges: the services move poison messages themselves.
      settings.put("mp3.amqp.dead-letter-exchange", "false");
      // It has only the default virtual host, whatever SPRING_RABBITMQ_VIRTUAL_HOST names for a real RabbitMQ.
      settings.put("spring.rabbitmq.virtual-host", "/");
      notes.add("AMQP broker           embedded (Qpid Broker-J, in memory) on 127.0.0.1:" + port);
    } else {
      notes.add("RabbitMQ              " + host + ":" + port + " (not answering yet; services will retry)");
    }
    settings.put("spring.rabbitmq.host", host);
    settings.put("spring.rabbitmq.port", Integer.toString(port));
  }

  /** The local PostgreSQL if one answers on MP3_LOCAL_POSTGRES_PORT (5432), otherwise an embedded one there. */
  private int startDatabase() throws IOException {
    int port = port("MP3_LOCAL_POSTGRES_PORT", 5432);
    if (answers("127.0.0.1", port)) {
      notes.add("PostgreSQL            127.0.0.1:" + port);
    } else {
      running.add(new EmbeddedDatabase(data.resolve("postgres"), port));
      notes.add("PostgreSQL            embedded on 127.0.0.1:" + port + ", data in " + data.resolve("postgres"));
    }
    return port;
  }

  /** A database on the local server, created on first use. */
  private String localDatabase(int port, String name) throws SQLException {
    String server = "jdbc:postgresql://127.0.0.1:" + port + "/";
    try (var connection = DriverManager.getConnection(server + "postgres",
            env("SPRING_DATASOURCE_USERNAME", "postgres"), env("SPRING_DATASOURCE_PASSWORD", ""));
        var exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
      exists.setString(1, name);
      if (!exists.executeQuery().next()) {
        connection.createStatement().execute("CREATE DATABASE " + name);
      }
    }
    return server + name;
  }

  /** The Ed25519 key auth signs with, kept in the data folder so tokens survive a restart. */
  private Path signingKey() throws Exception {
    Path file = data.resolve("keys/auth-signing-key.pem");
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded();
      String label = "PRIVATE " + "KEY";
      String pem = "-----BEGIN " + label + "-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pkcs8)
          + "\n-----END " + label + "-----\n";
      Files.writeString(file, pem);
    }
    return file;
  }

  private String downloadTokenKey() throws IOException {
    Path file = data.resolve("keys/download-token.key");
    if (!Files.exists(file)) {
      Files.createDirectories(file.getParent());
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      Files.writeString(file, Base64.getEncoder().encodeToString(key));
    }
    return Files.readString(file).trim();
  }

  /** A secret of this run only, as strong as k8s/generate-secrets.sh makes them. */
  private static String randomHex(int bytes) {
    byte[] random = new byte[bytes];
    new SecureRandom().nextBytes(random);
    return HexFormat.of().formatHex(random);
  }

  private void deliverToOutbox(ResendApi.Email email) {
    try {
      Path outbox = Files.createDirectories(data.resolve("outbox"));
      String stem = Instant.now().toString().replace(':', '-') + "-" + email.id();
      Files.writeString(outbox.resolve(stem + ".txt"),
          "From: " + email.from() + "\nTo: " + String.join(", ", email.to()) + "\nSubject: " + email.subject()
              + "\n\n" + email.text());
      if (email.html() != null) {
        Files.writeString(outbox.resolve(stem + ".html"), email.html());
      }
      Matcher link = LINK.matcher(email.text() == null ? "" : email.text());
      System.out.printf("%n[outbox] to %s: %s%n", String.join(", ", email.to()), email.subject());
      if (link.find()) {
        String kind = link.group(1).startsWith("downloads") ? "download" : link.group(1).replace("?token=", "");
        System.out.printf("[outbox] %s: %s%n", kind, link.group());
      }
      System.out.printf("[outbox] saved %s%n%n", outbox.resolve(stem + ".txt"));
    } catch (IOException e) {
      System.err.println("[outbox] could not write the email: " + e.getMessage());
    }
  }

  /**
   * The bucket setup's lifecycle rule (k8s: create-bucket.sh), as a backstop behind the gateway's retention route:
   * whole days from the upload, rounded up, plus one. The local S3 server refuses lifecycle rules; then the
   * retention route alone deletes expired MP3s, and the launcher says so.
   */
  private void expireObjects(S3Server s3, String bucket) {
    Duration retention = DurationStyle.detectAndParse(env("MP3_RETENTION", "7d"));
    int days = (int) Math.min(Integer.MAX_VALUE, (retention.toSeconds() + 86_399) / 86_400 + 1);
    if (s3.expireObjects(bucket, "users/", days)) {
      System.out.printf("[s3] objects in %s expire after %d days (lifecycle rule)%n", bucket, days);
    } else {
      System.out.printf("[s3] the local S3 server has no lifecycle rules: expired MP3s (MP3_RETENTION=%s) are deleted "
          + "by the gateway's retention route only%n", retention);
    }
  }

  private void banner(LocalSystem system, Duration startup) {
    String gateway = system.gatewayUrl();
    System.out.printf("""

        mp3-converter is running (ready in %.1f s)
          gateway (public API)  %s   web app: %<s/
          auth / worker / notifier on ports %d / %d / %d; management (health, metrics) on %d-%d
          console (Hawtio)      %s/actuator/hawtio/ (all four services' routes: one JVM)
                                %s
          data folder           %s
          %s
          local source files    %s -> http://127.0.0.1:%d/<name>
          email outbox          %s
        Try:
          curl -s -X POST %s/auth/register -H 'Content-Type: application/json' \\
               -d '{"email":"me@example.com","password":"correct horse battery","name":"Me"}'
          then open the verification link the outbox prints here (or POST its token to /auth/verify) and log in.
        Ctrl-C stops everything.
        %n""",
        startup.toMillis() / 1000.0, gateway,
        system.ports(Service.AUTH).http(), system.ports(Service.WORKER).http(), system.ports(Service.NOTIFIER).http(),
        system.ports(Service.GATEWAY).management(), system.ports(Service.NOTIFIER).management(),
        system.managementUrl(Service.GATEWAY), String.join("\n" + " ".repeat(24), consoleLogins),
        data, String.join("\n  ", notes), data.resolve("files"), port("MP3_LOCAL_FILES_PORT", 8090),
        unset("MP3_RESEND_API_KEY") ? data.resolve("outbox") : "Resend (" + env("MP3_RESEND_BASE_URL", "https://api.resend.com") + ")",
        gateway);
  }

  @Override
  public void close() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        System.err.println("stopping " + running.get(i).getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    running.clear();
  }

  private static boolean answers(String host, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 500);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private boolean unset(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank();
  }

  private String env(String name, String fallback) {
    return unset(name) ? fallback : environment.get(name);
  }

  private int port(String name, int fallback) {
    return Integer.parseInt(env(name, Integer.toString(fallback)));
  }

  private static void deleteRecursively(Path folder) throws IOException {
    if (Files.exists(folder)) {
      try (var paths = Files.walk(folder)) {
        paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }
}
