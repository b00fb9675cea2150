package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import java.net.URI;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each redirect hop is checked like the first URL: a public page may not send the worker to itself, the cluster
 * or a metadata service. Verdicts only, nothing connects (the route-level proof with a canary on loopback is
 * SystemHostileInputTest in the launcher).
 */
class RedirectHostileInputTest {
  private static final URI CURRENT = URI.create("https://media.example.org/dir/track?id=1");
  private final Redirects redirects = new Redirects(SourceUrlPolicy.strict(), 5);

  @ParameterizedTest
  @ValueSource(strings = {
    "http://127.0.0.1/x.wav",
    "http://localhost/x.wav",
    "http://localhost./x.wav",
    "http://169.254.169.254/latest/meta-data/",
    "http://10.0.0.5/x.wav",
    "http://[::1]/x.wav",
    "http://[::ffff:127.0.0.1]/x.wav",
    "http://[fe80::1%25eth0]/x.wav",
    "http://2130706433/x.wav",
    "http://0x7f.1/x.wav",
    "http://0177.0.0.1/x.wav",
    "//127.0.0.1/x.wav",
    "//[::1]:443/x.wav",
    "http://metadata.google.internal/computeMetadata/v1/",
    "http://minio.mp3.svc.cluster.local:9000/mp3/",
    "https://media.example.org:8443/x.wav",
    "ftp://media.example.org/x.wav",
    "file:///etc/passwd",
    "gopher://media.example.org/_x",
    "http://user:pass@media.example.org/x.wav",
    "http://media.example.org@127.0.0.1/x.wav",
  })
  void theHopIsBlocked(String location) {
    assertThatThrownBy(() -> redirects.next(CURRENT, location, 0)).isInstanceOf(BlockedUrlException.class);
  }
}
