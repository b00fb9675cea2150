package com.mp3converter.launcher;

import com.mp3converter.worker.WorkerProperties;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The network the hostile-input suite's worker lives in, added to the worker's context only (LocalSystem's
 * {@code spring.main.sources}). It replaces nothing the guard does: the worker's own GuardedDnsResolver still
 * checks every answer given here, and its connection manager still connects to exactly the checked addresses.
 * What it replaces is the world outside: DNS answers the test controls, and a SOCKS double as the only way out.
 */
@Configuration(proxyBeanMethods = false)
public class HostileNetwork {
  static final String SOCKS_PORT = "hostile.socks-port";

  /** Resolves to loopback: passes the gateway (a name) and must be stopped by the worker's guard. */
  static final String LOOPBACK_NAME = "loopback.hostile.test";
  static final String V6_LOOPBACK_NAME = "v6-loopback.hostile.test";
  /** One public and one loopback address in the same answer. */
  static final String MIXED_NAME = "mixed.hostile.test";
  /** The file server, at the public address the SOCKS double stands in for. */
  static final String FILES_NAME = "files.hostile.test";
  /** Names starting with this answer public the first time and loopback ever after (DNS rebinding). */
  static final String REBIND_PREFIX = "rebind";

  /** The worker's DNS; the production DnsResolver bean stays, this one is preferred (@Primary). */
  @Bean
  @Primary
  HostileDns hostileDns() {
    return new HostileDns();
  }

  /** Sends every source connection of the worker through the SOCKS double. */
  @Bean
  static SocksEgress socksEgress(Environment environment, ObjectProvider<WorkerProperties> properties) {
    return new SocksEgress(Integer.parseInt(environment.getRequiredProperty(SOCKS_PORT)), properties);
  }

  /**
   * Gives the worker's source connection manager a socket configuration with the SOCKS double as proxy. The
   * manager's own configuration cannot be read back, so the one setting production puts there (the read timeout)
   * is set again from the same property.
   */
  public static final class SocksEgress implements BeanPostProcessor {
    private final InetSocketAddress proxy;
    private final ObjectProvider<WorkerProperties> properties;
    private volatile InetSocketAddress installed;

    SocksEgress(int port, ObjectProvider<WorkerProperties> properties) {
      this.proxy = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
      this.properties = properties;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String name) {
      if (bean instanceof PoolingHttpClientConnectionManager manager && name.equals("sourceConnectionManager")) {
        manager.setDefaultSocketConfig(SocketConfig.custom()
            .setSoTimeout(Timeout.of(properties.getObject().source().readTimeout()))
            .setSocksProxyAddress(proxy)
            .build());
        installed = proxy;
      }
      return bean;
    }

    /** The proxy the worker's source connections go through, or null if the manager was never configured. */
    InetSocketAddress installed() {
      return installed;
    }
  }

  /** Answers for the test's names and address literals only; every other name is unknown (no real lookup). */
  public static final class HostileDns implements DnsResolver {
    private static final Pattern IPV4_LITERAL = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
      int count = lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
      if (host.startsWith(REBIND_PREFIX) && host.endsWith(".hostile.test")) {
        return addresses(count == 1 ? SocksDouble.PUBLIC_HOST : "127.0.0.1");
      }
      return switch (host) {
        case LOOPBACK_NAME -> addresses("127.0.0.1");
        case V6_LOOPBACK_NAME -> addresses("::1");
        case MIXED_NAME -> addresses(SocksDouble.PUBLIC_HOST, "127.0.0.1");
        case FILES_NAME -> addresses(SocksDouble.PUBLIC_HOST);
        default -> {
          if (IPV4_LITERAL.matcher(host).matches() || host.contains(":")) {
            // A literal: the JDK parses it without a lookup.
            yield addresses(host);
          }
          throw new UnknownHostException(host + " (the hostile-input suite resolves no real names)");
        }
      };
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }

    /** How often the worker looked this name up. */
    int lookups(String host) {
      AtomicInteger count = lookups.get(host);
      return count == null ? 0 : count.get();
    }

    private static InetAddress[] addresses(String... literals) throws UnknownHostException {
      InetAddress[] addresses = new InetAddress[literals.length];
      for (int i = 0; i < literals.length; i++) {
        addresses[i] = InetAddress.getByName(literals[i]);
      }
      return addresses;
    }
  }
}
