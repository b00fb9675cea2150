package com.mp3converter.launcher.fault;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What each scenario counted, as the table in docs/reliability.md shows it; written to
 * target/fault-report.md (and the test output) when the run ends.
 */
final class FaultReport {
  /**
   * @param accepted jobs answered 202
   * @param completed accepted jobs that ended completed
   * @param failed accepted jobs that ended failed
   * @param emails emails Resend accepted for the accepted jobs
   * @param objects MP3 objects stored for the accepted jobs
   * @param conversions source downloads, one per conversion attempt (more than the jobs: work was redone)
   * @param note what else was seen (503s during an outage, attempts at Resend, ...)
   */
  record Row(String scenario, int accepted, int completed, int failed, int emails, int objects, long conversions,
      double seconds, String note) {
    int lost() {
      return accepted - completed - failed;
    }
  }

  private final List<Row> rows = new ArrayList<>();

  synchronized void add(Row row) {
    rows.add(row);
    System.out.println("[fault] " + line(row));
  }

  synchronized void write(Path file) throws IOException {
    StringBuilder table = new StringBuilder()
        .append("| scenario | accepted | completed | failed | emails | objects | lost | conversions | seconds | notes |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    rows.forEach(row -> table.append(line(row)).append('\n'));
    Files.createDirectories(file.getParent());
    Files.writeString(file, table.toString());
    System.out.println(table);
  }

  private static String line(Row row) {
    return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %d | %d | %d | %.0f | %s |", row.scenario(),
        row.accepted(), row.completed(), row.failed(), row.emails(), row.objects(), row.lost(), row.conversions(),
        row.seconds(), row.note());
  }
}
