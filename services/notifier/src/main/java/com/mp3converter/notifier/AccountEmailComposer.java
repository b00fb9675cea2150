package com.mp3converter.notifier;

import static com.mp3converter.notifier.EmailComposer.escape;

import com.mp3converter.shared.messages.AccountEmail;
import java.util.List;

/**
 * Writes the emails about accounts. The link comes from auth (its public URL and a token); the name from the user:
 * both are HTML-escaped in the HTML body. The "already registered" email carries no link, only the hint to reset
 * the password: whoever registered the address may not be its owner.
 */
public class AccountEmailComposer {
  static final String VERIFY_SUBJECT = "Verify your email address";
  static final String ALREADY_REGISTERED_SUBJECT = "You already have an account";
  static final String RESET_SUBJECT = "Reset your password";

  private final String from;

  public AccountEmailComposer(String from) {
    this.from = from;
  }

  public ResendEmail compose(AccountEmail email) {
    String greeting = "Hello " + email.name() + ",";
    return switch (email.kind()) {
      case AccountEmail.VERIFY -> withLink(email, greeting, VERIFY_SUBJECT,
          "Please verify your email address to start converting files. The link works for 24 hours, once.",
          "Verify my address",
          "If you did not register, ignore this email: nothing happens without the link.");
      case AccountEmail.PASSWORD_RESET -> withLink(email, greeting, RESET_SUBJECT,
          "Someone (hopefully you) asked to reset your password. The link works for 30 minutes, once.",
          "Choose a new password",
          "If you did not ask for this, ignore this email: your password stays as it is.");
      case AccountEmail.ALREADY_REGISTERED -> plain(email, greeting);
      default -> throw new IllegalArgumentException("No account email of kind '" + email.kind() + "'");
    };
  }

  private ResendEmail withLink(AccountEmail email, String greeting, String subject, String sentence, String action,
      String notYou) {
    String link = email.link();
    if (link == null || !(link.startsWith("https://") || link.startsWith("http://"))) {
      throw new IllegalArgumentException("An account email of kind '" + email.kind() + "' needs an http(s) link");
    }
    String html = "<p>" + escape(greeting) + "</p><p>" + escape(sentence) + "</p>"
        + "<p><a href=\"" + escape(link) + "\">" + escape(action) + "</a></p>"
        + "<p>If the link does not work, copy this address into your browser:<br>" + escape(link) + "</p>"
        + "<p>" + escape(notYou) + "</p><p>— mp3-converter</p>";
    String text = greeting + "\n\n" + sentence + "\n\n" + action + ":\n" + link + "\n\n" + notYou
        + "\n\n-- \nmp3-converter\n";
    return new ResendEmail(from, List.of(email.email()), subject, html, text);
  }

  private ResendEmail plain(AccountEmail email, String greeting) {
    String sentence = "Someone tried to register with this address, but you already have an account. You can "
        + "log in as before. If you forgot your password, ask for a reset on the log-in page.";
    String notYou = "If this was not you, ignore this email: nothing was changed.";
    String html = "<p>" + escape(greeting) + "</p><p>" + escape(sentence) + "</p><p>" + escape(notYou)
        + "</p><p>— mp3-converter</p>";
    String text = greeting + "\n\n" + sentence + "\n\n" + notYou + "\n\n-- \nmp3-converter\n";
    return new ResendEmail(from, List.of(email.email()), ALREADY_REGISTERED_SUBJECT, html, text);
  }
}
