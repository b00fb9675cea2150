package com.mp3converter.launcher;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Path;

/** A real PostgreSQL server from Maven-shipped binaries, its data kept in the launcher's data folder. */
final class EmbeddedDatabase implements AutoCloseable {
  private final EmbeddedPostgres postgres;

  EmbeddedDatabase(Path dataFolder, int port) throws IOException {
    this.postgres = EmbeddedPostgres.builder()
        .setDataDirectory(dataFolder)
        .setCleanDataDirectory(false)
        .setPort(port)
        .start();
  }

  int port() {
    return postgres.getPort();
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
