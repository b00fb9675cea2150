package com.mp3converter.worker.routes;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removes what a test class wrote under the temp directory (sources of tens of MB, downloaded MP3s). */
final class TempFolders {
  private TempFolders() {}

  static void delete(Path... roots) throws IOException {
    for (Path root : roots) {
      if (root == null || !Files.exists(root)) {
        continue;
      }
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }
}
