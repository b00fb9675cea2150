package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SourceUrlPolicyTest {
  private final SourceUrlPolicy strict = SourceUrlPolicy.strict();

  @ParameterizedTest
  @ValueSource(strings = {
      "ftp://example.com/a.wav", "file:///etc/passwd", "gopher://example.com/", "javascript:alert(1)",
      "data:audio/wav;base64,AAAA", "//example.com/a.wav", "example.com/a.wav", "http:///a.wav",
      "http://user:pass@example.com/a.wav", "http://user@example.com/a.wav", "http://example.com:8080/a.wav",
      "http://example.com:22/a.wav", "https://example.com:8443/a.wav",
      "http://127.0.0.1/a.wav", "http://127.1/a.wav", "http://2130706433/a.wav", "http://0x7f000001/a.wav",
      "http://0177.0.0.1/a.wav", "http://0x7f.0.0.1/a.wav", "http://017700000001/a.wav", "http://0/a.wav",
      "http://10.0.0.1/a.wav", "http://169.254.169.254/latest/meta-data/", "http://[::1]/a.wav",
      "http://[::ffff:127.0.0.1]/a.wav", "http://[::ffff:7f00:1]/a.wav", "http://[fe80::1%25eth0]/a.wav",
      "http://[fd00:ec2::254]/", "http://localhost/a.wav", "http://localhost./a.wav",
      "http://metadata.google.internal/computeMetadata/v1/", "http://a..b/x", "http://exa mple.com/a.wav",
      "http://-example.com/a.wav", " ", ""})
  void refuses(String url) {
    assertThatThrownBy(() -> strict.check(url)).as(url).isInstanceOf(BlockedUrlException.class);
  }

  @Test
  void refusesOverlongUrls() {
    String url = "https://example.com/" + "a".repeat(10_000);
    assertThatThrownBy(() -> strict.check(url)).hasMessageContaining("longer");
  }

  @Test
  void acceptsPublicHttpAndHttpsAndDropsTheFragment() throws Exception {
    assertThat(strict.check("https://cdn.example.com/music/song.flac?sig=abc#t=10").toString())
        .isEqualTo("https://cdn.example.com/music/song.flac?sig=abc");
    assertThat(strict.check("HTTP://Example.com:80/a.wav").getHost()).isEqualToIgnoringCase("example.com");
    assertThat(strict.check("http://93.184.216.34/a.wav").getHost()).isEqualTo("93.184.216.34");
  }

  @Test
  void localRunsMayUseLoopbackOnConfiguredPorts() throws Exception {
    var local = new SourceUrlPolicy(true, Set.of(80, 443, 8000), 2048);
    assertThat(local.check("http://127.0.0.1:8000/a.wav").getPort()).isEqualTo(8000);
    assertThat(local.check("http://localhost:8000/a.wav").getHost()).isEqualTo("localhost");
    assertThatThrownBy(() -> local.check("http://user@127.0.0.1:8000/a.wav")).isInstanceOf(BlockedUrlException.class);
  }
}
