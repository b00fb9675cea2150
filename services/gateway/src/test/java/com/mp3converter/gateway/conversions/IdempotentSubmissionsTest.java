package com.mp3converter.gateway.conversions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import org.junit.jupiter.api.Test;

class IdempotentSubmissionsTest {
  @Test
  void noHeaderMeansNoKey() {
    assertThat(IdempotentSubmissions.request(null, "url", "https://a.example/x.wav", "192k")).isNull();
  }

  @Test
  void theFingerprintFollowsTheNormalizedRequestOnly() {
    var a = IdempotentSubmissions.request("k1", "url", "https://a.example/x.wav", "192k");
    var b = IdempotentSubmissions.request("k1", "url", "https://a.example/x.wav", "192k");
    var c = IdempotentSubmissions.request("k1", "url", "https://a.example/x.wav", "320k");
    var d = IdempotentSubmissions.request("k1", "upload", "https://a.example/x.wav", "192k");
    assertThat(a).isEqualTo(b);
    assertThat(a.fingerprint()).isNotEqualTo(c.fingerprint()).isNotEqualTo(d.fingerprint()).hasSize(64);
  }

  @Test
  void keysAreOneTo255VisibleAsciiCharacters() {
    IdempotentSubmissions.checkKey("a");
    IdempotentSubmissions.checkKey("k".repeat(255));
    IdempotentSubmissions.checkKey("3f1c2a9e-0b7d-4e55-9a59-3c1f8d2b7e10");
    for (String bad : new String[] {"", "k".repeat(256), "has space", "tab\t", "ünïcode", "line\nbreak"}) {
      assertThatThrownBy(() -> IdempotentSubmissions.checkKey(bad)).as(bad)
          .isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.problem().status()).isEqualTo(400);
            assertThat(p.problem().type()).isEqualTo("/problems/invalid-idempotency-key");
          });
    }
  }
}
