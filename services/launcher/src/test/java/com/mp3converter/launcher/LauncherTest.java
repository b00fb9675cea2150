package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.Ffprobe;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run command on a machine with nothing configured: no PostgreSQL and no RabbitMQ answer on the ports it
 * is pointed at, so it starts embedded ones; the journey works; after a restart the same user logs in and the
 * same link still downloads the same MP3.
 */
class LauncherTest {
  private static final Pattern LINK = Pattern.compile("http://127\\.0\\.0\\.1:\\d+/downloads/[A-Za-z0-9._-]+");
  private static final double SECONDS = 4.2;

  @TempDir Path data;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void startsWithNothingConfiguredAndKeepsEverythingAcrossARestart() throws Exception {
    Map<String, String> nothingConfigured = Map.of(
        // Ports nothing listens on: the launcher must bring its own broker and database there.
        "SPRING_RABBITMQ_PORT", Integer.toString(freePort()),
        "MP3_LOCAL_POSTGRES_PORT", Integer.toString(freePort()),
        "MP3_LOCAL_S3_PORT", Integer.toString(freePort()),
        "MP3_LOCAL_OUTBOX_PORT", Integer.toString(freePort()),
        "MP3_LOCAL_FILES_PORT", Integer.toString(freePort()));
    var ports = LocalSystem.freePorts();
    String password = "correct horse battery";
    String link;
    Path firstMp3 = data.resolve("first.mp3");

    try (Launcher launcher = new Launcher(data, nothingConfigured, ports)) {
      LocalSystem system = launcher.start();
      assertServicesListenOnLoopbackOnly(system);
      String gateway = system.gatewayUrl();
      assertThat(post(gateway + "/auth/register", null,
          "{\"email\":\"local@example.com\",\"password\":\"" + password + "\",\"name\":\"Local\"}").statusCode())
          .isEqualTo(202);
      // The newcomer's path: the verification link is in the local outbox (and on the console).
      String verifyToken = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> tokenInOutbox(EmailLinks.VERIFY), Optional::isPresent).get();
      assertThat(post(gateway + "/auth/verify", null, "{\"token\":\"" + verifyToken + "\"}").statusCode())
          .isEqualTo(200);
      String token = login(gateway, password);

      AudioFixtures.writeSineWav(data.resolve("files/song.wav"), SECONDS);
      String source = "http://127.0.0.1:" + nothingConfigured.get("MP3_LOCAL_FILES_PORT") + "/song.wav";
      HttpResponse<String> accepted = post(gateway + "/conversions", token, "{\"url\":\"" + source + "\"}");
      assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
      String id = Json.MESSAGES.readTree(accepted.body()).get("id").asText();

      await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
          .until(() -> status(gateway, token, id), s -> List.of("completed", "failed").contains(s));
      assertThat(status(gateway, token, id)).isEqualTo("completed");

      link = await().atMost(Duration.ofSeconds(30)).until(this::linkInOutbox, Optional::isPresent).get();
      assertThat(download(link, firstMp3).statusCode()).isEqualTo(200);
      assertThat(Ffprobe.durationSeconds(firstMp3)).isCloseTo(SECONDS, Offset.offset(0.1));
    }

    try (Launcher again = new Launcher(data, nothingConfigured, ports)) {
      LocalSystem system = again.start();
      assertThat(login(system.gatewayUrl(), password)).isNotBlank();
      Path secondMp3 = data.resolve("second.mp3");
      assertThat(download(link, secondMp3).statusCode()).isEqualTo(200);
      assertThat(Files.mismatch(firstMp3, secondMp3)).isEqualTo(-1L);
    }
  }

  /**
   * MP3_BIND_ADDRESS is unset: every service port answers on 127.0.0.1 and refuses connections on each of this
   * machine's other addresses (a wildcard bind would accept them).
   */
  private static void assertServicesListenOnLoopbackOnly(LocalSystem system) throws IOException {
    List<InetAddress> elsewhere = NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .toList();
    for (LocalSystem.Service service : LocalSystem.Service.values()) {
      LocalSystem.Ports ports = system.ports(service);
      for (int port : List.of(ports.http(), ports.management())) {
        assertThat(connects(InetAddress.getLoopbackAddress(), port)).as("%s port %d on loopback", service, port)
            .isTrue();
        for (InetAddress address : elsewhere) {
          assertThat(connects(address, port)).as("%s port %d on %s", service, port, address).isFalse();
        }
      }
    }
  }

  private static boolean connects(InetAddress address, int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, port), 2000);
      return true;
    } catch (IOException refused) {
      return false;
    }
  }

  private Optional<String> tokenInOutbox(String page) throws IOException {
    Path outbox = data.resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return Optional.empty();
    }
    try (Stream<Path> emails = Files.list(outbox)) {
      for (Path email : emails.filter(p -> p.toString().endsWith(".txt")).toList()) {
        Optional<String> token = EmailLinks.token(Files.readString(email), page);
        if (token.isPresent()) {
          return token;
        }
      }
    }
    return Optional.empty();
  }

  private Optional<String> linkInOutbox() throws IOException {
    Path outbox = data.resolve("outbox");
    if (!Files.isDirectory(outbox)) {
      return Optional.empty();
    }
    try (Stream<Path> emails = Files.list(outbox)) {
      for (Path email : emails.filter(p -> p.toString().endsWith(".txt")).toList()) {
        Matcher link = LINK.matcher(Files.readString(email));
        if (link.find()) {
          return Optional.of(link.group());
        }
      }
    }
    return Optional.empty();
  }

  private String login(String gateway, String password) throws Exception {
    HttpResponse<String> login = post(gateway + "/auth/login", null,
        "{\"email\":\"local@example.com\",\"password\":\"" + password + "\"}");
    assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
    return Json.MESSAGES.readTree(login.body()).get("access_token").asText();
  }

  private String status(String gateway, String token, String id) throws Exception {
    HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(gateway + "/conversions/" + id))
        .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode job = Json.MESSAGES.readTree(response.body());
    return job.path("status").asText();
  }

  private HttpResponse<Path> download(String link, Path target) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(link)).build(), HttpResponse.BodyHandlers.ofFile(target));
  }

  private HttpResponse<String> post(String url, String token, String json) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
