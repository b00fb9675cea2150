package com.mp3converter.worker.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.mp3converter.worker.job.PermanentFailureException;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How redirects are followed; the hops that are refused are in RedirectHostileInputTest. */
class RedirectsTest {
  private static final URI CURRENT = URI.create("https://media.example.org/dir/track?id=1");
  private final Redirects redirects = new Redirects(SourceUrlPolicy.strict(), 5);

  @Test
  void followsOnlyTheRedirectStatuses() {
    assertThat(Redirects.FOLLOWED).containsExactlyInAnyOrder(301, 302, 303, 307, 308);
    assertThat(Redirects.isRedirect(300)).isFalse();
    assertThat(Redirects.isRedirect(304)).isFalse();
    assertThat(Redirects.isRedirect(200)).isFalse();
  }

  @Test
  void resolvesAbsoluteAndRelativeLocations() throws BlockedUrlException {
    assertThat(redirects.next(CURRENT, "https://cdn.example.net/a.wav", 0))
        .isEqualTo(URI.create("https://cdn.example.net/a.wav"));
    assertThat(redirects.next(CURRENT, "/other/b.mp3?x=1", 0))
        .isEqualTo(URI.create("https://media.example.org/other/b.mp3?x=1"));
    assertThat(redirects.next(CURRENT, "c.flac", 1)).isEqualTo(URI.create("https://media.example.org/dir/c.flac"));
    assertThat(redirects.next(CURRENT, "//cdn.example.net/d.ogg", 4)).isEqualTo(URI.create("https://cdn.example.net/d.ogg"));
  }

  @Test
  void keepsPercentEncodingAsSent() throws BlockedUrlException {
    URI next = redirects.next(CURRENT, "/a%2Fb/c.wav?sig=x%2By%26z%3D&p=%7B%7Bmp3.s3.secret-key%7D%7D", 0);

    assertThat(next.getRawPath()).isEqualTo("/a%2Fb/c.wav");
    assertThat(next.getRawQuery()).isEqualTo("sig=x%2By%26z%3D&p=%7B%7Bmp3.s3.secret-key%7D%7D");
  }

  @Test
  void dropsTheFragment() throws BlockedUrlException {
    assertThat(redirects.next(CURRENT, "https://cdn.example.net/a.wav#t=10", 0).getFragment()).isNull();
  }

  @Test
  void stopsAfterTheLimit() {
    assertThatThrownBy(() -> redirects.next(CURRENT, "/again", 5))
        .isInstanceOfSatisfying(PermanentFailureException.class, e -> {
          assertThat(e.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE);
          assertThat(e).hasMessageContaining("5 redirects");
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "http://exa mple.org/"})
  void refusesMissingOrMalformedLocations(String location) {
    assertThatThrownBy(() -> redirects.next(CURRENT, location, 0))
        .isInstanceOfSatisfying(PermanentFailureException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE));
    assertThatThrownBy(() -> redirects.next(CURRENT, null, 0)).isInstanceOf(ConversionException.class);
  }
}
