package com.mp3converter.notifier;

import com.mp3converter.shared.messages.ConversionCompleted;
import com.mp3converter.shared.messages.ConversionFailed;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.OutputFormat;
import java.net.URI;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes the two emails a user can get. Every string that came from a user (their name, the failure message
 * that may quote their input) or from another service (the link) is HTML-escaped in the HTML body; the text
 * body carries the same words unescaped. The file is named by its format (OutputFormat); why a job failed is the
 * sentence of its reason (FailureReason's table), as the worker put it in the event.
 */
public class EmailComposer {
  /** Every job is converted to the default format (the events do not name one). */
  private static final String FORMAT = OutputFormat.DEFAULT.displayName();

  static final String COMPLETED_SUBJECT = "Your " + FORMAT + " is ready";
  static final String FAILED_SUBJECT = "We could not convert your file";
  private static final String FAILED_HEADLINE = FAILED_SUBJECT + " to " + FORMAT + ".";

  private static final String SIGNATURE_HTML = "<p>— mp3-converter</p>";
  private static final String SIGNATURE_TEXT = "\n-- \nmp3-converter\n";
  private static final DateTimeFormatter EXPIRY =
      DateTimeFormatter.ofPattern("d MMMM yyyy, HH:mm 'UTC'", Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final String from;

  public EmailComposer(String from) {
    this.from = from;
  }

  public ResendEmail completed(ConversionCompleted event, DownloadLink link) {
    String url = checkedLink(link);
    String expires = link.expiresAt() == null ? null : EXPIRY.format(link.expiresAt());
    String details = describe(event);

    StringBuilder html = new StringBuilder()
        .append("<p>").append(escape(greeting(event.name()))).append("</p>")
        .append("<p>").append(COMPLETED_SUBJECT).append(details.isEmpty() ? "" : " (" + escape(details) + ")")
        .append(".</p>")
        .append("<p><a href=\"").append(escape(url)).append("\">Download your ").append(FORMAT).append("</a></p>")
        .append("<p>If the link does not work, copy this address into your browser:<br>")
        .append(escape(url)).append("</p>");
    StringBuilder text = new StringBuilder()
        .append(greeting(event.name())).append("\n\n")
        .append(COMPLETED_SUBJECT).append(details.isEmpty() ? "" : " (" + details + ")").append(".\n\n")
        .append("Download it here:\n").append(url).append("\n");
    if (expires != null) {
      // The gateway's link expires with the file (the job's retention, MP3_RETENTION on the gateway), so the
      // link's expiry is when the file is deleted.
      String sentence = "Your " + FORMAT + " is kept until " + expires
          + "; then it is deleted and the link stops working.";
      html.append("<p>").append(escape(sentence)).append("</p>");
      text.append("\n").append(sentence).append("\n");
    }
    html.append(SIGNATURE_HTML);
    text.append(SIGNATURE_TEXT);
    return new ResendEmail(from, List.of(event.email()), COMPLETED_SUBJECT, html.toString(), text.toString());
  }

  public ResendEmail failed(ConversionFailed event) {
    String reason = reasonSentence(event);
    String html = "<p>" + escape(greeting(event.name())) + "</p>"
        + "<p>" + FAILED_HEADLINE + "</p>"
        + "<p>" + escape(reason) + "</p>"
        + "<p>You can try again with another address. Reference: " + escape(event.jobId()) + "</p>"
        + SIGNATURE_HTML;
    String text = greeting(event.name()) + "\n\n"
        + FAILED_HEADLINE + "\n\n"
        + reason + "\n\n"
        + "You can try again with another address. Reference: " + event.jobId() + "\n"
        + SIGNATURE_TEXT;
    return new ResendEmail(from, List.of(event.email()), FAILED_SUBJECT, html, text);
  }

  /**
   * Why the job failed, in the user's words: the event's message, which the worker takes from its reason's row
   * of FailureReason's table; the row's sentence when an event carries none (an older or a foreign producer).
   */
  private static String reasonSentence(ConversionFailed event) {
    return event.message() == null || event.message().isBlank()
        ? FailureReason.fromCode(event.reason()).userMessage()
        : event.message();
  }

  /** HTML-escapes text for element content and double- or single-quoted attribute values. */
  static String escape(String value) {
    if (value == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(value.length() + 16);
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static String greeting(String name) {
    return name == null || name.isBlank() ? "Hello," : "Hello " + name.strip() + ",";
  }

  /** Length and size of the file in plain words, e.g. "3:02, 4.2 MB"; empty when the event lacks them. */
  private static String describe(ConversionCompleted event) {
    StringBuilder out = new StringBuilder();
    if (event.durationSeconds() > 0) {
      long seconds = Math.round(event.durationSeconds());
      out.append(seconds >= 3600
          ? String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60)
          : String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60));
    }
    if (event.bytes() > 0) {
      if (out.length() > 0) {
        out.append(", ");
      }
      out.append(event.bytes() >= 1_000_000
          ? String.format(Locale.ROOT, "%.1f MB", event.bytes() / 1_000_000.0)
          : String.format(Locale.ROOT, "%d kB", Math.max(1, event.bytes() / 1000)));
    }
    return out.toString();
  }

  /** The gateway signs the link; still, only an absolute http(s) address may become a clickable link. */
  private static String checkedLink(DownloadLink link) {
    if (link == null || link.url() == null) {
      throw new IllegalStateException("The gateway answered without a download link");
    }
    URI uri;
    try {
      uri = URI.create(link.url());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("The gateway answered with a malformed download link", e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      throw new IllegalStateException("The gateway answered with a download link that is not an http(s) address");
    }
    return link.url();
  }
}
