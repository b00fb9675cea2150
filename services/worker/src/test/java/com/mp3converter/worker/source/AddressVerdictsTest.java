package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.GuardedDnsResolver;
import com.mp3converter.shared.url.SourceUrlPolicy;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The verdicts of the worker's connect-time guard (the shared GuardedDnsResolver with the worker's policy) over
 * answers a DNS server could give. Nothing here connects anywhere or asks a real DNS server: addresses are
 * literals and the "DNS" is a map.
 */
class AddressVerdictsTest {
  private final AtomicInteger lookups = new AtomicInteger();
  private InetAddress[] answer = new InetAddress[0];
  /** Stands in for DNS: answers every name with {@link #answer} and counts the lookups. */
  private final DnsResolver fakeDns = new DnsResolver() {
    @Override
    public InetAddress[] resolve(String host) {
      lookups.incrementAndGet();
      return answer;
    }

    @Override
    public String resolveCanonicalHostname(String host) {
      return host;
    }
  };
  private final GuardedDnsResolver strict = new GuardedDnsResolver(SourceUrlPolicy.strict(), fakeDns);
  private final GuardedDnsResolver relaxed =
      new GuardedDnsResolver(new SourceUrlPolicy(true, Set.of(80, 443), 2048), fakeDns);

  @ParameterizedTest
  @ValueSource(strings = {
    "127.0.0.1", "127.1.2.3", "0.0.0.0", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
    "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254", "192.0.0.8",
    "192.0.2.1", "198.18.0.1", "198.51.100.7", "203.0.113.9", "224.0.0.1", "239.255.255.250", "240.0.0.1",
    "255.255.255.255",
    "::1", "::", "fe80::1", "fc00::1", "fd12:3456::1", "fec0::1", "ff02::1", "2001:db8::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "64:ff9b::a9fe:a9fe",
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
  })
  void refusesEveryNonPublicAnswer(String literal) throws UnknownHostException {
    InetAddress[] resolved = {InetAddress.getByName(literal)};

    assertThatThrownBy(() -> strict.check("source.example", resolved))
        .isInstanceOf(BlockedUrlException.class)
        .hasMessageContaining("non-public");
  }

  @ParameterizedTest
  @ValueSource(strings = {"93.184.216.34", "1.1.1.1", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:80b::200e"})
  void passesPublicAnswers(String literal) throws UnknownHostException {
    InetAddress[] resolved = {InetAddress.getByName(literal)};

    assertThat(strict.check("source.example", resolved)).containsExactly(resolved);
  }

  @Test
  void oneBadAddressRefusesTheWholeAnswer() throws UnknownHostException {
    InetAddress[] mixed = {InetAddress.getByName("93.184.216.34"), InetAddress.getByName("10.1.2.3")};

    assertThatThrownBy(() -> strict.check("source.example", mixed)).isInstanceOf(BlockedUrlException.class);
  }

  @Test
  void theClientConnectsToExactlyTheAddressesThatWereChecked() throws UnknownHostException {
    answer = new InetAddress[] {InetAddress.getByName("93.184.216.34")};

    InetAddress[] resolved = strict.resolve("source.example");

    assertThat(resolved).containsExactly(answer);
    assertThat(lookups).hasValue(1);
  }

  @Test
  void aNameThatResolvesToLoopbackIsRefusedAtConnectTime() throws UnknownHostException {
    answer = new InetAddress[] {InetAddress.getByName("127.0.0.1")};

    assertThatThrownBy(() -> strict.resolve("rebind.example")).isInstanceOf(BlockedUrlException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "LOCALHOST.", "metadata.google.internal", "kubernetes.default.svc",
      "minio.mp3.svc.cluster.local", "db.internal", "printer.local", "a.localhost"})
  void refusesMetadataAndClusterNamesWithoutLookingThemUp(String host) {
    assertThatThrownBy(() -> strict.resolve(host)).isInstanceOf(BlockedUrlException.class);
    assertThat(lookups).hasValue(0);
  }

  @Test
  void privateSourcesRelaxOnlyTheAddressCheck() throws UnknownHostException {
    answer = new InetAddress[] {InetAddress.getByName("127.0.0.1")};

    assertThat(relaxed.resolve("localhost")).containsExactly(answer);
    assertThatThrownBy(() -> new SourceUrlPolicy(true, Set.of(80, 443), 2048).check("http://127.0.0.1:8080/a.wav"))
        .isInstanceOf(BlockedUrlException.class)
        .hasMessageContaining("Port 8080");
  }
}
