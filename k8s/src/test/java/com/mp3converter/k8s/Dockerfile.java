package com.mp3converter.k8s;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Dockerfile as Docker reads it for one build: instructions (continuations joined, comments dropped) split into
 * build stages, with the build arguments substituted where Docker substitutes them: a FROM sees the ARGs declared
 * before the first FROM, an instruction sees the ARGs its stage declares. A reference to an argument nobody
 * declared is left as written, so checks can name it.
 */
record Dockerfile(List<Stage> stages) {
  private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}|\\$([A-Za-z_][A-Za-z0-9_]*)");

  record Instruction(String keyword, String args) {}

  /**
   * @param image the image or earlier stage it starts from, arguments substituted
   * @param comment the comment lines right above its FROM, where an image pinned by digest names its tag
   */
  record Stage(String image, String alias, String comment, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  static Dockerfile parse(String text) {
    return parse(text, Map.of());
  }

  /** @param buildArgs what {@code docker build --build-arg NAME=VALUE} gives */
  static Dockerfile parse(String text, Map<String, String> buildArgs) {
    Map<String, String> global = new HashMap<>();
    Map<String, String> stageArgs = new HashMap<>();
    List<Stage> stages = new ArrayList<>();
    for (String[] line : logicalLines(text)) {
      String comment = line[0];
      String instruction = line[1];
      int space = instruction.indexOf(' ');
      String keyword = (space < 0 ? instruction : instruction.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : instruction.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] parts = substitute(args, global).split("\\s+");
        String image = parts[0].startsWith("--platform") ? parts[1] : parts[0];
        String alias = null;
        for (int i = 0; i < parts.length - 1; i++) {
          if (parts[i].equalsIgnoreCase("AS")) {
            alias = parts[i + 1];
          }
        }
        stages.add(new Stage(image, alias, comment, new ArrayList<>()));
        stageArgs = new HashMap<>();
      } else if (keyword.equals("ARG") && stages.isEmpty()) {
        declare(args, buildArgs, Map.of(), global);
      } else if (stages.isEmpty()) {
        throw new IllegalArgumentException("instruction before FROM: " + instruction);
      } else {
        if (keyword.equals("ARG")) {
          declare(args, buildArgs, global, stageArgs);
        }
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, substitute(args, stageArgs)));
      }
    }
    return new Dockerfile(stages);
  }

  /** Each instruction with the comment lines right above it (empty if a blank line or nothing came between). */
  private static List<String[]> logicalLines(String text) {
    List<String[]> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    StringBuilder comment = new StringBuilder();
    String commentOfCurrent = "";
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      boolean continuing = !current.isEmpty();
      // Comment lines, also inside a continued instruction (Docker drops them there too).
      if (trimmed.startsWith("#")) {
        if (!continuing) {
          comment.append(trimmed.substring(1).strip()).append('\n');
        }
        continue;
      }
      if (trimmed.isEmpty() && !continuing) {
        comment.setLength(0);
        continue;
      }
      if (!continuing) {
        commentOfCurrent = comment.toString().strip();
        comment.setLength(0);
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(' ');
        continue;
      }
      current.append(trimmed);
      if (!current.toString().isBlank()) {
        lines.add(new String[] {commentOfCurrent, current.toString().strip()});
      }
      current.setLength(0);
    }
    return lines;
  }

  /** {@code ARG NAME} or {@code ARG NAME=default}: the build argument wins, then the default, then the global. */
  private static void declare(
      String args, Map<String, String> buildArgs, Map<String, String> global, Map<String, String> into) {
    for (String word : args.split("\\s+")) {
      int eq = word.indexOf('=');
      String name = eq < 0 ? word : word.substring(0, eq);
      String value = buildArgs.containsKey(name) ? buildArgs.get(name)
          : eq >= 0 ? unquote(word.substring(eq + 1))
          : global.getOrDefault(name, "");
      into.put(name, value);
    }
  }

  private static String substitute(String text, Map<String, String> args) {
    Matcher m = VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String name = m.group(1) != null ? m.group(1) : m.group(2);
      m.appendReplacement(out, Matcher.quoteReplacement(args.containsKey(name) ? args.get(name) : m.group()));
    }
    return m.appendTail(out).toString();
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  boolean isStage(String name) {
    return stages.stream().anyMatch(s -> name.equalsIgnoreCase(s.alias()));
  }

  Stage stage(String alias) {
    return stages.stream().filter(s -> alias.equalsIgnoreCase(s.alias())).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + alias));
  }

  /** The stages an image is made of: from the one on an outside image up to {@code stage}. */
  List<Stage> lineage(Stage stage) {
    List<Stage> chain = new ArrayList<>();
    Stage current = stage;
    while (true) {
      chain.add(0, current);
      int index = stages.indexOf(current);
      String parent = current.image();
      // FROM names an earlier stage, or else an image.
      Stage from = stages.subList(0, index).stream().filter(s -> parent.equalsIgnoreCase(s.alias()))
          .reduce((first, second) -> second).orElse(null);
      if (from == null) {
        return chain;
      }
      current = from;
    }
  }

  /** The outside image {@code stage} is built on. */
  String baseImage(Stage stage) {
    return lineage(stage).get(0).image();
  }

  /** What the image of {@code stage} has of {@code keyword}, its ancestors' first. */
  List<Instruction> all(Stage stage, String keyword) {
    return lineage(stage).stream().flatMap(s -> s.all(keyword).stream()).toList();
  }

  /** The environment the image of {@code stage} sets (ENV, later ones winning). */
  Map<String, String> env(Stage stage) {
    Map<String, String> env = new LinkedHashMap<>();
    for (Instruction i : all(stage, "ENV")) {
      List<String> words = words(i.args());
      if (words.size() == 2 && !words.get(0).contains("=")) {
        env.put(words.get(0), words.get(1));
        continue;
      }
      for (String word : words) {
        int eq = word.indexOf('=');
        env.put(word.substring(0, eq), unquote(word.substring(eq + 1)));
      }
    }
    return env;
  }

  /** Whitespace-separated words; double quotes keep spaces inside a word. */
  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    boolean quoted = false;
    for (char c : text.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      }
      if (Character.isWhitespace(c) && !quoted) {
        if (!word.isEmpty()) {
          words.add(word.toString());
          word.setLength(0);
        }
      } else {
        word.append(c);
      }
    }
    if (!word.isEmpty()) {
      words.add(word.toString());
    }
    return words;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1) : value;
  }
}
