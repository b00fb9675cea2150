package com.mp3converter.shared.management;

import java.util.regex.Pattern;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The console's two roles, as far as MBean operations go (what either may reach at all is the Jolokia policy's,
 * {@link ConsoleRestrictor}):
 * <ul>
 *   <li>a viewer calls the operations that only report: the route diagram and statistics are operations
 *       ({@code dumpRoutesAsXml}, {@code dumpRouteStatsAsXml}), so are thread dumps;
 *   <li>an admin may also stop, start, suspend, resume and restart (routes, consumers, the Camel context);
 *   <li>no one calls anything else (sending messages into endpoints, adding or removing routes).
 * </ul>
 */
public final class ConsoleRoles {
  public static final String VIEWER = "VIEWER";
  public static final String ADMIN = "ADMIN";

  /** Operations that report and change nothing, by name. */
  private static final Pattern REPORTING = Pattern.compile("(dump|get|is|list|explain|find|can)[A-Z].*|list");
  /**
   * The route dumps whose first argument asks Camel to resolve property placeholders: resolved, a route shows the
   * values behind {{...}}, and some of those are secrets (the worker's S3 key, the notifier's internal token).
   * Jolokia only tells us the signature, not the arguments, so these signatures are refused to everyone; the
   * dumps without arguments show the placeholders themselves.
   */
  private static final Pattern RESOLVING_DUMP = Pattern.compile("dump\\w*As(Xml|Yaml)\\(boolean.*");
  /** Operations that stop and start things, and nothing else. */
  private static final Pattern CONTROLLING = Pattern.compile("start|stop|suspend|resume|restart");

  private ConsoleRoles() {}

  /** Whether the user of the request in hand (Jolokia runs on the request's thread) may call this operation. */
  static boolean mayCall(String operation) {
    if (RESOLVING_DUMP.matcher(operation).matches()) {
      return false;
    }
    String name = withoutSignature(operation);
    if (REPORTING.matcher(name).matches()) {
      return currentUserIs(VIEWER);
    }
    return CONTROLLING.matcher(name).matches() && currentUserIs(ADMIN);
  }

  /** The name of the request's user, for the log. */
  static String currentUser() {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    return user == null ? "no one" : user.getName();
  }

  static boolean currentUserIs(String role) {
    Authentication user = SecurityContextHolder.getContext().getAuthentication();
    return user != null && user.isAuthenticated()
        && user.getAuthorities().stream().anyMatch(a -> ("ROLE_" + role).equals(a.getAuthority()));
  }

  /** Jolokia names an overloaded operation with its signature: {@code dumpRouteAsXml(boolean)}. */
  private static String withoutSignature(String operation) {
    int parenthesis = operation.indexOf('(');
    return parenthesis < 0 ? operation : operation.substring(0, parenthesis);
  }
}
