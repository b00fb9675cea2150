package com.mp3converter.launcher;

import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The four real services (LocalSystem) on free ports with test infrastructure: fresh PostgreSQL databases, the
 * test's RabbitMQ virtual host, an S3 server over a temporary folder, the Resend stub and, when the test has source
 * files, a loopback file server that the services may fetch from. Closing it stops everything it started.
 *
 * <pre>{@code
 * system = TestSystem.named("e2e").rabbit(RABBIT).sources(folder).start();
 * }</pre>
 */
final class TestSystem implements AutoCloseable {
  static final String BUCKET = "mp3";

  private final LocalS3 s3;
  private final ResendStub resend;
  private final StaticFileServer files;
  private LocalSystem system;

  private TestSystem(LocalS3 s3, ResendStub resend, StaticFileServer files) {
    this.s3 = s3;
    this.resend = resend;
    this.files = files;
  }

  static Builder named(String name) {
    return new Builder(name);
  }

  static final class Builder {
    private final String name;
    private RabbitVirtualHost rabbit;
    private Path sources;
    private final Map<String, String> settings = new LinkedHashMap<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The test's virtual host (a {@code @RegisterExtension} of the test class). */
    Builder rabbit(RabbitVirtualHost rabbit) {
      this.rabbit = rabbit;
      return this;
    }

    /** Serves this folder over loopback HTTP and lets the services fetch from it (private sources allowed). */
    Builder sources(Path folder) {
      this.sources = folder;
      return this;
    }

    /** A setting for every service, after the test infrastructure's (so it can override them). */
    Builder setting(String key, String value) {
      settings.put(key, value);
      return this;
    }

    TestSystem start() throws Exception {
      if (rabbit == null) {
        throw new IllegalStateException("TestSystem needs the test's RabbitVirtualHost");
      }
      LocalS3 s3 = LocalS3.start().createBucket(BUCKET);
      ResendStub resend = ResendStub.start();
      StaticFileServer files = sources == null ? null : StaticFileServer.serve(sources);
      TestSystem test = new TestSystem(s3, resend, files);
      try {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("spring.rabbitmq.virtual-host", rabbit.name());
        all.put("MP3_S3_ENDPOINT", s3.endpoint());
        all.put("MP3_S3_ACCESS_KEY", s3.accessKey());
        all.put("MP3_S3_SECRET_KEY", s3.secretKey());
        all.put("MP3_S3_BUCKET", BUCKET);
        all.put("MP3_RESEND_BASE_URL", resend.baseUrl());
        all.put("MP3_RESEND_API_KEY", resend.apiKey());
        all.put("MP3_MAIL_FROM", "mp3-converter <noreply@example.com>");
        all.put("MP3_INTERNAL_TOKEN", TestSecrets.token());
        if (files != null) {
          all.put("MP3_ALLOW_PRIVATE_SOURCES", "true");
          all.put("MP3_SOURCE_PORTS", "80,443," + files.port());
        }
        all.putAll(settings);
        Map<Service, Map<String, String>> perService = new EnumMap<>(Service.class);
        perService.put(Service.AUTH, Map.of("spring.datasource.url", TestDatabase.create(name + "_auth")));
        perService.put(Service.GATEWAY, Map.of("spring.datasource.url", TestDatabase.create(name + "_gateway")));
        perService.put(Service.NOTIFIER, Map.of("spring.datasource.url", TestDatabase.create(name + "_notifier")));
        test.system = LocalSystem.start(all, perService, LocalSystem.freePorts());
        return test;
      } catch (Exception | Error e) {
        test.close();
        throw e;
      }
    }
  }

  LocalSystem system() {
    return system;
  }

  String gatewayUrl() {
    return system.gatewayUrl();
  }

  String managementUrl(Service service) {
    return system.managementUrl(service);
  }

  LocalS3 s3() {
    return s3;
  }

  ResendStub resend() {
    return resend;
  }

  /** The loopback file server of {@link Builder#sources}. */
  StaticFileServer files() {
    if (files == null) {
      throw new IllegalStateException("this TestSystem serves no source files");
    }
    return files;
  }

  @Override
  public void close() throws Exception {
    if (system != null) {
      system.close();
    }
    if (files != null) {
      files.close();
    }
    resend.close();
    s3.close();
    s3.deleteFolder();
  }
}
