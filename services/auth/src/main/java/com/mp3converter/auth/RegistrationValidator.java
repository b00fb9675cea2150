package com.mp3converter.auth;

import com.mp3converter.shared.problem.ProblemException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Checks a registration and names every field that is wrong in one 400 answer. */
public final class RegistrationValidator {
  static final int MIN_PASSWORD = 8;
  static final int MAX_PASSWORD = 128;
  static final int MAX_NAME = 100;
  static final int MAX_EMAIL = 254;
  static final int MAX_LOCAL_PART = 64;

  /**
   * The WHATWG "valid email address" grammar (what browsers accept), plus a dot in the domain: mail from this
   * service goes over the Internet, never to a bare host name.
   */
  private static final Pattern EMAIL = Pattern.compile(
      "[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+");

  public Registration validate(RegisterRequest request) {
    List<String> errors = new ArrayList<>();
    String email = request.email() == null ? null : Emails.normalize(request.email());
    if (email == null || email.isEmpty()) {
      errors.add("'email' is required");
    } else if (!validEmail(email)) {
      errors.add("'email' is not a valid email address");
    }
    String password = request.password();
    passwordError(password).ifPresent(errors::add);
    String name = request.name() == null ? null : request.name().strip();
    if (name == null || name.isEmpty()) {
      errors.add("'name' is required");
    } else if (name.codePointCount(0, name.length()) > MAX_NAME) {
      errors.add("'name' must have at most " + MAX_NAME + " characters");
    } else if (name.codePoints().anyMatch(Character::isISOControl)) {
      // The name ends up in email headers and bodies: no line breaks or other control characters.
      errors.add("'name' must not contain control characters");
    }
    if (!errors.isEmpty()) {
      throw ProblemException.badRequest("validation-failed", String.join("; ", errors) + ".");
    }
    return new Registration(email, name, password);
  }

  /** What is wrong with a new password (registration and reset share the rules), if anything. */
  static Optional<String> passwordError(String password) {
    if (password == null) {
      return Optional.of("'password' is required");
    }
    int length = password.codePointCount(0, password.length());
    if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
      return Optional.of("'password' must have " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    return Optional.empty();
  }

  static boolean validEmail(String email) {
    int at = email.indexOf('@');
    return email.length() <= MAX_EMAIL && at > 0 && at <= MAX_LOCAL_PART && EMAIL.matcher(email).matches();
  }
}
