package com.mp3converter.testing;

import com.mp3converter.local.ResendApi;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * The links of the account emails, as a user follows them: a test registers, takes the token of the verification
 * (or reset) link from the email the notifier sent (the Resend stub's record, or a file of the local outbox) and
 * posts it, like the web page at {@code /verify?token=...} does.
 */
public final class EmailLinks {
  public static final String VERIFY = "verify";
  public static final String RESET = "reset";

  private EmailLinks() {}

  /** The token of the last {@code .../{page}?token=...} link in a text, if there is one. */
  public static Optional<String> token(String text, String page) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher link = Pattern.compile("https?://\\S+/" + Pattern.quote(page) + "\\?token=([A-Za-z0-9_-]+)").matcher(text);
    String found = null;
    while (link.find()) {
      found = link.group(1);
    }
    return Optional.ofNullable(found);
  }

  /** Waits for an email to the address with a {@code page} link and answers the link's token (the newest). */
  public static String awaitToken(Supplier<List<ResendApi.Email>> emails, String address, String page) {
    return Awaitility.await().alias("a " + page + " link to " + address).atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> newest(emails.get(), address, page), Optional::isPresent).get();
  }

  /** Waits for a verification email to the address in the Resend stub: its link's token. */
  public static String awaitVerifyToken(ResendStub resend, String address) {
    return awaitToken(resend::emails, address, VERIFY);
  }

  /** Whether the email is about a conversion (not an account email): its Idempotency-Key names the job. */
  public static boolean aboutConversion(ResendApi.Email email) {
    return email.idempotencyKey() != null && email.idempotencyKey().startsWith("conversion-");
  }

  private static Optional<String> newest(List<ResendApi.Email> emails, String address, String page) {
    Optional<String> found = Optional.empty();
    for (ResendApi.Email email : emails) {
      if (email.to().contains(address)) {
        Optional<String> token = token(email.text(), page);
        if (token.isPresent()) {
          found = token;
        }
      }
    }
    return found;
  }
}
