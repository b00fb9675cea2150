package com.mp3converter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's file server: the folder's files and nothing else on the machine. */
class StaticFilesTest {
  @TempDir Path dir;
  private Path root;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void files() throws Exception {
    root = Files.createDirectories(dir.resolve("files"));
    Files.write(Files.createDirectories(root.resolve("album")).resolve("song.wav"), new byte[] {1, 2, 3, 4, 5});
    Files.writeString(dir.resolve("secret.txt"), "outside the folder");
  }

  @Test
  void servesTheFilesUnderItsFolder() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start("files-test", 0, "/", new StaticFiles(root))) {
      HttpResponse<byte[]> got = get(server, "GET", "/album/song.wav");
      assertThat(got.statusCode()).isEqualTo(200);
      assertThat(got.body()).containsExactly(1, 2, 3, 4, 5);
      assertThat(got.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
      HttpResponse<byte[]> head = get(server, "HEAD", "/album/song.wav");
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }
  }

  @Test
  void answers404ForMissingFilesFoldersAndAnythingOutsideTheFolder() throws Exception {
    try (LoopbackHttpServer server = LoopbackHttpServer.start("files-test", 0, "/", new StaticFiles(root))) {
      assertThat(get(server, "GET", "/missing.wav").statusCode()).isEqualTo(404);
      assertThat(get(server, "GET", "/album").statusCode()).isEqualTo(404);
      assertThat(get(server, "GET", "/../secret.txt").statusCode()).isEqualTo(404);
      assertThat(get(server, "GET", "/album/../../secret.txt").statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<byte[]> get(LoopbackHttpServer server, String method, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
  }
}
