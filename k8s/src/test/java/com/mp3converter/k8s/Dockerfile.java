package com.mp3converter.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A Dockerfile as instructions (continuations joined, comments dropped), split into its build stages. */
record Dockerfile(List<Stage> stages) {
  record Instruction(String keyword, String args) {}

  record Stage(String image, String alias, List<Instruction> instructions) {
    List<Instruction> all(String keyword) {
      return instructions.stream().filter(i -> i.keyword().equals(keyword)).toList();
    }
  }

  static Dockerfile parse(String text) {
    List<String> lines = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      String trimmed = line.strip();
      // Comment lines, also inside a continued instruction (Docker drops them there too).
      if (trimmed.startsWith("#")) {
        continue;
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed.substring(0, trimmed.length() - 1).strip()).append(' ');
        continue;
      }
      current.append(trimmed);
      if (!current.toString().isBlank()) {
        lines.add(current.toString().strip());
      }
      current.setLength(0);
    }
    List<Stage> stages = new ArrayList<>();
    for (String line : lines) {
      int space = line.indexOf(' ');
      String keyword = (space < 0 ? line : line.substring(0, space)).toUpperCase(Locale.ROOT);
      String args = space < 0 ? "" : line.substring(space + 1).strip();
      if (keyword.equals("FROM")) {
        String[] parts = args.split("\\s+");
        String image = parts[0].startsWith("--platform") ? parts[1] : parts[0];
        String alias = null;
        for (int i = 0; i < parts.length - 1; i++) {
          if (parts[i].equalsIgnoreCase("AS")) {
            alias = parts[i + 1];
          }
        }
        stages.add(new Stage(image, alias, new ArrayList<>()));
      } else if (stages.isEmpty()) {
        throw new IllegalArgumentException("instruction before FROM: " + line);
      } else {
        stages.get(stages.size() - 1).instructions().add(new Instruction(keyword, args));
      }
    }
    return new Dockerfile(stages);
  }

  Stage last() {
    return stages.get(stages.size() - 1);
  }

  boolean isStage(String name) {
    return stages.stream().anyMatch(s -> name.equals(s.alias()));
  }
}
