package com.mp3converter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.FailureReason;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EmailComposerTest {
  private static final String FROM = "mp3-converter <noreply@example.test>";
  private static final String JOB = "5f0c6a2e-8a53-4f7b-9d0e-2b1c3d4e5f60";
  private static final String USER = "0b7e2a9c-1d2f-4e3a-8b4c-5d6e7f8a9b0c";

  private final EmailComposer composer = new EmailComposer(FROM);

  private static ConversionCompleted completed(String name) {
    return new ConversionCompleted(1, JOB, USER, "ada@example.test", name, "users/" + USER + "/" + JOB + ".mp3",
        4_200_000, 182.4, Instant.parse("2026-11-29T10:00:00Z"));
  }

  private static ConversionFailed failed(String name, String reason, String message) {
    return new ConversionFailed(1, JOB, USER, "ada@example.test", name, reason, message,
        Instant.parse("2026-11-29T10:00:00Z"));
  }

  @Test
  void completedEmailSaysWhenTheFileExpires() {
    // The gateway's link expires with the file (the job's retention): its expiry is the file's.
    DownloadLink link = new DownloadLink("https://mp3.example.test/downloads/t", Instant.parse("2026-12-06T10:15:00Z"));

    ResendEmail email = composer.completed(completed("Ada"), link);

    String expiry = "Your MP3 is kept until 6 December 2026, 10:15 UTC; then it is deleted and the link stops working.";
    assertThat(email.text()).contains(expiry);
    assertThat(email.html()).contains("<p>" + expiry + "</p>");
  }

  @Test
  void completedEmailCarriesTheLinkAndItsExpiryInBothBodies() {
    DownloadLink link = new DownloadLink("https://mp3.example.test/downloads/abc.def?x=1&y=2",
        Instant.parse("2026-12-06T10:15:00Z"));

    ResendEmail email = composer.completed(completed("Ada"), link);

    assertThat(email.from()).isEqualTo(FROM);
    assertThat(email.to()).containsExactly("ada@example.test");
    assertThat(email.subject()).isEqualTo("Your MP3 is ready");
    assertThat(email.html())
        .contains("<p>Your MP3 is ready (3:02, 4.2 MB).</p>")
        .contains("\">Download your MP3</a>")
        .contains("href=\"https://mp3.example.test/downloads/abc.def?x=1&amp;y=2\"")
        .contains("Hello Ada,")
        .contains("6 December 2026, 10:15 UTC")
        .contains("3:02, 4.2 MB");
    assertThat(email.text())
        .contains("Your MP3 is ready (3:02, 4.2 MB).\n\nDownload it here:\n")
        .contains("https://mp3.example.test/downloads/abc.def?x=1&y=2")
        .contains("6 December 2026, 10:15 UTC")
        .contains("Hello Ada,")
        .doesNotContain("<p>")
        .doesNotContain("&amp;");
  }

  @Test
  void userNameIsEscapedInHtmlAndKeptVerbatimInText() {
    String name = "<script>alert(\"x\")</script> O'Neil & co";
    DownloadLink link = new DownloadLink("https://mp3.example.test/downloads/t", Instant.parse("2026-12-06T10:15:00Z"));

    ResendEmail email = composer.completed(completed(name), link);

    assertThat(email.html())
        .doesNotContain("<script>")
        .doesNotContain("O'Neil")
        .contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Neil &amp; co");
    assertThat(email.text()).contains("Hello " + name + ",");
  }

  @Test
  void failureEmailTellsTheReasonEscapedAndNoInternals() {
    String message = "The file is not an audio file we can read: <img src=x onerror=\"alert(1)\"> 'quoted'";

    ResendEmail email = composer.failed(failed("Ada \"the\" <b>user</b>", "not_audio", message));

    assertThat(email.subject()).isEqualTo("We could not convert your file");
    assertThat(email.to()).containsExactly("ada@example.test");
    assertThat(email.html())
        .doesNotContain("<img")
        .doesNotContain("<b>")
        .contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &#39;quoted&#39;")
        .contains("Hello Ada &quot;the&quot; &lt;b&gt;user&lt;/b&gt;,")
        .doesNotContain("not_audio");
    assertThat(email.text()).contains(message).contains(JOB).doesNotContain("not_audio");
  }

  @Test
  void failureWithoutMessageFallsBackToTheReasonsSentence() {
    ResendEmail email = composer.failed(failed(null, "source_too_large", " "));

    assertThat(email.text()).startsWith("Hello,").contains("The file is larger than we accept.");
    assertThat(email.html()).contains("The file is larger than we accept.");
  }

  @Test
  void everyReasonIsToldInTheSentenceOfItsRowAndTheSameWords() {
    for (FailureReason reason : FailureReason.values()) {
      ResendEmail fromTheEvent = composer.failed(failed("Ada", reason.code(), reason.userMessage()));
      ResendEmail fromTheTable = composer.failed(failed("Ada", reason.code(), null));

      assertThat(fromTheTable).as(reason.code()).isEqualTo(fromTheEvent);
      assertThat(fromTheEvent.subject()).isEqualTo("We could not convert your file");
      assertThat(fromTheEvent.text()).as(reason.code()).isEqualTo("Hello Ada,\n\n"
          + "We could not convert your file to MP3.\n\n"
          + reason.userMessage() + "\n\n"
          + "You can try again with another address. Reference: " + JOB + "\n"
          + "\n-- \nmp3-converter\n");
    }
    assertThat(composer.failed(failed("Ada", "a_reason_from_a_newer_worker", null)).text())
        .contains("Something went wrong on our side.");
  }

  @Test
  void onlyAnHttpLinkBecomesALink() {
    assertThatThrownBy(() -> composer.completed(completed("Ada"), new DownloadLink("javascript:alert(1)", null)))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> composer.completed(completed("Ada"), new DownloadLink(null, null)))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void linkWithoutExpiryOmitsTheSentence() {
    ResendEmail email = composer.completed(completed("Ada"), new DownloadLink("http://127.0.0.1:8080/downloads/t", null));

    assertThat(email.text()).contains("http://127.0.0.1:8080/downloads/t").doesNotContain("kept until");
  }

  @Test
  void escapeCoversTheFiveHtmlSpecials() {
    assertThat(EmailComposer.escape("<a href=\"x\" title='y'>&</a>"))
        .isEqualTo("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;");
    assertThat(EmailComposer.escape(null)).isEmpty();
  }
}
