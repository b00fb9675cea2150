package com.mp3converter.shared.management;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The users of the management console (Hawtio and Jolokia), {@code mp3.console.*}, from MP3_HAWTIO_VIEWER_USER /
 * MP3_HAWTIO_VIEWER_PASSWORD and MP3_HAWTIO_ADMIN_USER / MP3_HAWTIO_ADMIN_PASSWORD (mp3-management.yaml). A user
 * without a password does not exist.
 *
 * @param viewer reads routes, their statistics and diagrams
 * @param admin also stops, starts, suspends and resumes routes
 */
@ConfigurationProperties("mp3.console")
public record ConsoleProperties(User viewer, User admin) {

  public ConsoleProperties {
    viewer = viewer == null ? new User("viewer", null) : viewer;
    admin = admin == null ? new User("admin", null) : admin;
  }

  public record User(String name, String password) {
    boolean enabled() {
      return name != null && !name.isBlank() && password != null && !password.isBlank();
    }
  }

  /** The users that can log in, each with its roles. */
  List<ConsoleUser> users() {
    List<ConsoleUser> users = new ArrayList<>();
    if (viewer.enabled()) {
      users.add(new ConsoleUser(viewer, List.of(ConsoleRoles.VIEWER)));
    }
    if (admin.enabled()) {
      users.add(new ConsoleUser(admin, List.of(ConsoleRoles.VIEWER, ConsoleRoles.ADMIN)));
    }
    return users;
  }

  record ConsoleUser(User user, List<String> roles) {}
}
