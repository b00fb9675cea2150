package com.mp3converter.launcher;

import com.mp3converter.auth.AuthApplication;
import com.mp3converter.gateway.GatewayApplication;
import com.mp3converter.notifier.NotifierApplication;
import com.mp3converter.worker.WorkerApplication;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The four services in one JVM, each with its own Spring context, Camel context and ports, wired to each
 * other the way Kubernetes wires them (through the same environment names). Used by the launcher and by the
 * end-to-end tests, so the tests run exactly what a user runs.
 */
public final class LocalSystem implements AutoCloseable {

  public enum Service {
    AUTH(AuthApplication::application),
    GATEWAY(GatewayApplication::application),
    WORKER(WorkerApplication::application),
    NOTIFIER(NotifierApplication::application);

    private final Supplier<SpringApplication> application;

    Service(Supplier<SpringApplication> application) {
      this.application = application;
    }
  }

  /** Where a service listens: its API and its management (health, metrics, Hawtio) port. */
  public record Ports(int http, int management) {}

  /**
   * Where the services listen unless the settings name another address ({@code server.address},
   * {@code management.server.address}): a local run allows private sources, so it is not offered to the network.
   */
  public static final String LOOPBACK = "127.0.0.1";

  private final Map<Service, ConfigurableApplicationContext> contexts = new EnumMap<>(Service.class);
  private final Map<Service, Ports> ports;
  /** How the services, and the URLs they print, reach each other: loopback unless bound elsewhere. */
  private final String host;

  private LocalSystem(Map<Service, Ports> ports, String host) {
    this.ports = ports;
    this.host = host;
  }

  /** The ports of a local run: gateway 8080/9090, auth 8081/9091, worker 8082/9092, notifier 8083/9093. */
  public static Map<Service, Ports> defaultPorts() {
    Map<Service, Ports> ports = new EnumMap<>(Service.class);
    ports.put(Service.GATEWAY, new Ports(8080, 9090));
    ports.put(Service.AUTH, new Ports(8081, 9091));
    ports.put(Service.WORKER, new Ports(8082, 9092));
    ports.put(Service.NOTIFIER, new Ports(8083, 9093));
    return ports;
  }

  /** Free loopback ports for every service, for tests that run beside other things. */
  public static Map<Service, Ports> freePorts() throws IOException {
    Map<Service, Ports> ports = new EnumMap<>(Service.class);
    for (Service service : Service.values()) {
      ports.put(service, new Ports(freePort(), freePort()));
    }
    return ports;
  }

  /**
   * Starts the four services.
   *
   * @param settings environment-style settings (the names of design.md, e.g. MP3_S3_ENDPOINT) given to every
   *     service; each takes what it uses. The URLs between services are derived from the ports unless given.
   * @param perService settings for one service only (its database, for instance)
   */
  public static LocalSystem start(
      Map<String, String> settings, Map<Service, Map<String, String>> perService, Map<Service, Ports> ports) {
    return start(settings, perService, ports, List.of());
  }

  /**
   * Starts the four services, each context prepared by {@code initializers} too before it is refreshed (a test
   * adds beans to every service this way: Spring Boot no longer reads initializers from a property).
   */
  public static LocalSystem start(Map<String, String> settings, Map<Service, Map<String, String>> perService,
      Map<Service, Ports> ports, List<ApplicationContextInitializer<ConfigurableApplicationContext>> initializers) {
    LocalSystem system = new LocalSystem(ports, reachableHost(settings.getOrDefault("server.address", LOOPBACK)));
    Map<String, String> shared = new LinkedHashMap<>();
    shared.put("MP3_AUTH_URL", system.url(ports.get(Service.AUTH).http()));
    shared.put("MP3_GATEWAY_INTERNAL_URL", system.url(ports.get(Service.GATEWAY).http()));
    shared.put("MP3_PUBLIC_URL", system.gatewayUrl());
    // One JVM, four meter registries: keep them out of Micrometer's global one.
    shared.put("management.metrics.use-global-registry", "false");
    shared.put("spring.main.banner-mode", "off");
    // One JVM, one logging system, configured by the first service: JSON lines (MP3_LOG_FORMAT=json) would all
    // name it. They name the whole system instead; each line's routeId and logger say which service wrote it.
    shared.put("logging.structured.ecs.service.name", "mp3-converter");
    shared.put("server.address", LOOPBACK);
    shared.put("management.server.address", LOOPBACK);
    shared.putAll(settings);
    try {
      for (Service service : Service.values()) {
        Map<String, String> properties = new LinkedHashMap<>(shared);
        properties.putAll(perService.getOrDefault(service, Map.of()));
        properties.put("server.port", Integer.toString(ports.get(service).http()));
        properties.put("management.server.port", Integer.toString(ports.get(service).management()));
        SpringApplication application = service.application.get();
        initializers.forEach(application::addInitializers);
        system.contexts.put(service, application.run(asArguments(properties)));
      }
    } catch (RuntimeException e) {
      system.close();
      throw e;
    }
    return system;
  }

  public Ports ports(Service service) {
    return ports.get(service);
  }

  public String gatewayUrl() {
    return url(ports.get(Service.GATEWAY).http());
  }

  /** Where a service's management port (health, metrics, Hawtio) answers. */
  public String managementUrl(Service service) {
    return url(ports.get(service).management());
  }

  private String url(int port) {
    return "http://" + host + ":" + port;
  }

  /** Loopback for a loopback or wildcard bind address (0.0.0.0, ::), otherwise that address itself. */
  private static String reachableHost(String bindAddress) {
    try {
      InetAddress address = InetAddress.getByName(bindAddress);
      if (address.isAnyLocalAddress() || address.isLoopbackAddress()) {
        return LOOPBACK;
      }
      return address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("unknown bind address " + bindAddress, e);
    }
  }

  public ConfigurableApplicationContext context(Service service) {
    return contexts.get(service);
  }

  /** Stops the services in reverse order: intake first, then the rest drains. */
  @Override
  public void close() {
    List<Service> order = new ArrayList<>(List.of(Service.GATEWAY, Service.AUTH, Service.WORKER, Service.NOTIFIER));
    for (Service service : order) {
      ConfigurableApplicationContext context = contexts.remove(service);
      if (context != null) {
        context.close();
      }
    }
  }

  private static String[] asArguments(Map<String, String> properties) {
    return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
