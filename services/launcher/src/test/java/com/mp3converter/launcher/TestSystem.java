package com.mp3converter.launcher;

import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.testing.LocalS3;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.ResendStub;
import com.mp3converter.testing.StaticFileServer;
import com.mp3converter.testing.TestDatabase;
import com.mp3converter.testing.TestSecrets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four real services (LocalSystem) on free ports with test infrastructure: fresh PostgreSQL databases, the
 * test's RabbitMQ virtual host, an S3 server over a temporary folder, the Resend stub and, when the test has source
 * files, a loopback file server that the services may fetch from. Closing it stops everything it started.
 *
 * <pre>{@code
 * system = TestSystem.named("e2e").rabbit(RABBIT).sources(folder).start();
 * }</pre>
 */
public final class TestSystem implements AutoCloseable {
  public static final String BUCKET = "mp3";

  private final LocalS3 s3;
  private final ResendStub resend;
  private final StaticFileServer files;
  private final Map<Service, String> databases = new EnumMap<>(Service.class);
  private LocalSystem system;
  private ApiClient api;

  private TestSystem(LocalS3 s3, ResendStub resend, StaticFileServer files) {
    this.s3 = s3;
    this.resend = resend;
    this.files = files;
  }

  /** @param name the prefix of the test's databases (one per service that has one) */
  public static Builder named(String name) {
    return new Builder(name);
  }

  public static final class Builder {
    private final String name;
    private RabbitVirtualHost rabbit;
    private Path sources;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private final List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers = new ArrayList<>();

    private Builder(String name) {
      this.name = name;
    }

    /** The test's virtual host (a {@code @RegisterExtension} of the test class). */
    public Builder rabbit(RabbitVirtualHost rabbit) {
      this.rabbit = rabbit;
      return this;
    }

    /** Serves this folder over loopback HTTP and lets the services fetch from it (private sources allowed). */
    public Builder sources(Path folder) {
      this.sources = folder;
      return this;
    }

    /** A setting for every service, after the test infrastructure's (so it can override them). */
    public Builder setting(String key, String value) {
      settings.put(key, value);
      return this;
    }

    /** Settings for every service, after the test infrastructure's. */
    public Builder settings(Map<String, String> more) {
      settings.putAll(more);
      return this;
    }

    /** Prepares each service's context before it is refreshed (to add a bean to every service, for instance). */
    public Builder initializer(ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
      initializers.add(initializer);
      return this;
    }

    public TestSystem start() throws Exception {
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
        for (Service service : List.of(Service.AUTH, Service.GATEWAY, Service.NOTIFIER)) {
          String database = TestDatabase.create(name + "_" + service.name().toLowerCase(Locale.ROOT));
          test.databases.put(service, database);
          perService.put(service, Map.of("spring.datasource.url", database));
        }
        test.system = LocalSystem.start(all, perService, LocalSystem.freePorts(), initializers);
        test.api = new ApiClient(test.system.gatewayUrl(), resend);
        return test;
      } catch (Exception | Error e) {
        test.close();
        throw e;
      }
    }
  }

  public LocalSystem system() {
    return system;
  }

  /** The public API, called as a user's client calls it. */
  public ApiClient api() {
    return api;
  }

  public String gatewayUrl() {
    return system.gatewayUrl();
  }

  public String managementUrl(Service service) {
    return system.managementUrl(service);
  }

  /** The JDBC URL of the service's database. */
  public String database(Service service) {
    return databases.get(service);
  }

  public LocalS3 s3() {
    return s3;
  }

  /** Whether the bucket holds an object whose key names the job. */
  public boolean hasObjectOf(String jobId) {
    return s3.client().listObjectsV2(request -> request.bucket(BUCKET)).contents().stream()
        .anyMatch(object -> object.key().contains(jobId));
  }

  public ResendStub resend() {
    return resend;
  }

  /** The loopback file server of {@link Builder#sources}. */
  public StaticFileServer files() {
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
