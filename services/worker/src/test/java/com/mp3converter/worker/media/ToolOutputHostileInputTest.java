package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.job.JobWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * What a tool prints about a hostile file is the file's to choose: a decoder's complaint can quote tags and
 * names, and a broken file can make a tool print without end. The tool here is a stand-in for ffprobe (a shell
 * script printing what such a file could make it print), run the way the probe route runs ffprobe: MediaProbe's
 * ToolRun through camel-exec with the ToolRunner as binding and executor, then MediaProbe judging and logging the
 * ToolOutcome.
 */
class ToolOutputHostileInputTest {
  private static final String EXEC = "exec:ffprobe?binding=#toolRunner&commandExecutor=#toolRunner";
  private static final ConversionRequested JOB = new ConversionRequested(1, "00000000-0000-0000-0000-000000000001",
      "00000000-0000-0000-0000-000000000002", "a@example.org", "A", "http://example.org/a.wav", "192k", Instant.EPOCH);

  private static CamelContext camel;
  private static ProducerTemplate template;

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> log = new ListAppender<>();
  private final Logger probeLogger = (Logger) LoggerFactory.getLogger(MediaProbe.class);

  @BeforeAll
  static void startCamel() {
    camel = new DefaultCamelContext();
    camel.getRegistry().bind("toolRunner", new ToolRunner(Duration.ofSeconds(1)));
    camel.start();
    template = camel.createProducerTemplate();
  }

  @AfterAll
  static void stopCamel() {
    camel.stop();
  }

  @BeforeEach
  void captureTheLog() {
    log.start();
    probeLogger.addAppender(log);
  }

  @AfterEach
  void releaseTheLog() {
    probeLogger.detachAppender(log);
  }

  /** Line breaks, terminal escapes and bidirectional overrides from the file never start a log line of their own. */
  @ParameterizedTest
  @ValueSource(strings = {
    "Invalid data found\\n2026-01-01T00:00:00.000Z ERROR 1 --- [worker] Job 42 completed: forged",
    "Invalid data found\\r\\n2026-01-01T00:00:00.000Z  INFO forged after a CRLF",
    "title: \\033[2J\\033[1;1Hscreen cleared by a tag",
    "title: \\342\\200\\256gnp.exe (a right-to-left override)",
    "title: next\\342\\200\\250line (a Unicode line separator)",
  })
  void whatTheFileMakesTheToolPrintReachesTheLogAsOneLine(String printed) throws Exception {
    Path tool = tool("printf '" + printed + "\\n' >&2; exit 1");

    assertThatThrownBy(() -> probe(tool))
        .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.NOT_AUDIO));

    assertThat(log.list).singleElement().satisfies(event -> {
      String line = event.getFormattedMessage();
      assertThat(line).contains(printed.substring(0, 6)).doesNotContain("\n", "\r");
      assertThat(line.chars().filter(c -> Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
          || c == '\u2028' || c == '\u2029')).isEmpty();
    });
  }

  /** 20 MB of complaints are read and dropped: the end of stderr is kept, as much as the limit allows. */
  @Test
  void endlessDiagnosticsAreCutToTheirEnd() throws Exception {
    Path tool = tool("head -c 20000000 /dev/zero | tr '\\000' 'w' >&2; echo ' the last words' >&2; exit 1");

    assertThatThrownBy(() -> probe(tool)).isInstanceOf(ConversionException.class);

    assertThat(log.list).singleElement().satisfies(event ->
        assertThat(event.getFormattedMessage()).endsWith("the last words").hasSizeLessThan(2200));
  }

  /**
   * The outcome a route gets keeps the head of stdout, up to the limit, and of stderr the end as one log line
   * (ToolRunnerTest checks what the run itself keeps).
   */
  @Test
  void aToolsOutputReachesTheRouteWithinItsLimits() throws Exception {
    Path tool = tool("echo '{\"start\":' ; head -c 20000000 /dev/zero | tr '\\000' 'o'; "
        + "echo first >&2; head -c 20000000 /dev/zero | tr '\\000' 'e' >&2; echo ' last' >&2");

    ToolOutcome outcome = run(new ToolRun(tool.toString(), List.of(), dir, Duration.ofSeconds(60)));

    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.stdout()).hasSize(ToolRunner.STDOUT_LIMIT).startsWith("{\"start\":");
    assertThat(outcome.stderr()).isEqualTo("..." + "e".repeat(ToolRunner.MAX_DIAGNOSTICS - " last".length()) + " last");
  }

  /**
   * ffprobe's description of good audio, but with a tag longer than the stdout limit: cut there it no longer
   * parses, and the source is refused rather than judged on half a description.
   */
  @Test
  void aDescriptionLongerThanTheLimitIsRefusedAsNotAudio() throws Exception {
    Path tool = tool("printf '{\"format\":{\"tags\":{\"comment\":\"'; head -c 2000000 /dev/zero | tr '\\000' 'c'; "
        + "printf '\"},\"format_name\":\"wav\",\"probe_score\":100,\"duration\":\"1.0\"},'; "
        + "printf '\"streams\":[{\"codec_type\":\"audio\",\"codec_name\":\"pcm_s16le\"}]}'");

    assertThatThrownBy(() -> probe(tool))
        .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.NOT_AUDIO));
  }

  private void probe(Path tool) {
    MediaProbe probe = new MediaProbe(tool.toString(), Duration.ofSeconds(60), 10_800);
    probe.source(run(probe.sourceProbe(dir)), JOB);
  }

  private static ToolOutcome run(ToolRun run) {
    Exchange exchange = template.send(EXEC, e -> e.getIn().setBody(run));
    assertThat(exchange.getException()).isNull();
    return exchange.getMessage().getBody(ToolOutcome.class);
  }

  private Path tool(String script) throws Exception {
    Path tool = dir.resolve("fake-ffprobe");
    Files.writeString(tool, "#!/bin/sh\n" + script + "\n");
    Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwx------"));
    Files.writeString(dir.resolve(JobWorkspace.SOURCE_FILE), "whatever the source is");
    return tool;
  }
}
