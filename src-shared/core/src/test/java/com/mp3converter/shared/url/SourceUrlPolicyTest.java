package com.mp3converter.shared.url;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the policy accepts; every refusal is in UrlHostileInputTest. */
class SourceUrlPolicyTest {
  private final SourceUrlPolicy strict = SourceUrlPolicy.strict();

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
