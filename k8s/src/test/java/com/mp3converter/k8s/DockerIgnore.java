package com.mp3converter.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * .dockerignore semantics: patterns relative to the context root, `*` within one path element, `**` across any
 * number of them, `!` re-includes, the last matching line wins, and excluding a folder excludes what it holds.
 */
final class DockerIgnore {
  private record Rule(Pattern pattern, boolean include) {}

  private final List<Rule> rules = new ArrayList<>();

  DockerIgnore(String text) {
    for (String line : text.split("\n")) {
      String p = line.strip();
      if (p.isEmpty() || p.startsWith("#")) {
        continue;
      }
      boolean include = p.startsWith("!");
      if (include) {
        p = p.substring(1).strip();
      }
      while (p.startsWith("/")) {
        p = p.substring(1);
      }
      while (p.endsWith("/") && p.length() > 1) {
        p = p.substring(0, p.length() - 1);
      }
      rules.add(new Rule(Pattern.compile(regex(p)), include));
    }
  }

  static String regex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (glob.startsWith("**/", i)) {
        re.append("(?:.*/)?");
        i += 2;
      } else if (glob.startsWith("**", i)) {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return re.toString();
  }

  /** Whether a file at this path (relative to the context root) stays out of the build context. */
  boolean excludes(String path) {
    boolean excluded = false;
    for (Rule rule : rules) {
      if (matchesItOrAFolderAbove(rule.pattern(), path)) {
        excluded = !rule.include();
      }
    }
    return excluded;
  }

  private static boolean matchesItOrAFolderAbove(Pattern pattern, String path) {
    String[] parts = path.split("/");
    StringBuilder prefix = new StringBuilder();
    for (String part : parts) {
      if (!prefix.isEmpty()) {
        prefix.append('/');
      }
      prefix.append(part);
      if (pattern.matcher(prefix).matches()) {
        return true;
      }
    }
    return false;
  }
}
