package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.worker.WorkerMetrics;
import com.mp3converter.worker.job.JobWorkspace;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.exec.ExecBinding;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ffmpeg and ffprobe through camel-exec, with the endpoint options the convert, probe and measure routes
 * use: a ToolRun body in, a ToolOutcome body out.
 */
class FfmpegRunTest {
  private static final String EXEC = "exec:tool?binding=#toolRunner&commandExecutor=#toolRunner";

  private static CamelContext camel;
  private static ProducerTemplate template;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final WorkerMetrics metrics = new WorkerMetrics(registry);

  @TempDir
  Path dir;

  @BeforeAll
  static void startCamel() {
    camel = new DefaultCamelContext();
    camel.getRegistry().bind("toolRunner", new ToolRunner(Duration.ofSeconds(5)));
    camel.start();
    template = camel.createProducerTemplate();
  }

  @AfterAll
  static void stopCamel() {
    camel.stop();
  }

  @Test
  void probesConvertsAndMeasuresByWhatFfmpegReports() throws Exception {
    AudioFixtures.writeSineWav(dir.resolve(JobWorkspace.SOURCE_FILE), 2.0);
    ConversionRequested job = job("v2");
    MediaProbe probe = new MediaProbe("ffprobe", Duration.ofSeconds(30), 10_800);
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800, OutputFormat.MP3, metrics, false);

    SourceMedia media = probe.source(run(probe.sourceProbe(dir)), job);
    EncoderReport report = ffmpeg.report();
    OutputFile output = ffmpeg.verify(run(ffmpeg.conversion(dir, media, job, report, null)), dir, media, job, report);

    assertThat(media).isEqualTo(new SourceMedia("wav", "pcm_s16le", 2.0));
    assertThat(output.filename()).isEqualTo(DownloadFilenames.ofUrl(job.sourceUrl(), job.jobId(), OutputFormat.MP3));
    assertThat(output.durationSeconds()).isCloseTo(2.0, within(0.1));
    // What ffmpeg reported is what ffprobe reads from the file, but for the encoder's padding (one frame, 26 ms).
    assertThat(output.durationSeconds()).isCloseTo(Ffprobe.durationSeconds(output.path()), within(0.05));
    assertThat(output.path()).isEqualTo(dir.resolve(JobWorkspace.OUTPUT_FILE));
    assertThat(output.bytes()).isEqualTo(Files.size(output.path()));
    assertThat(Ffprobe.formatName(output.path())).isEqualTo("mp3");
    // The encode is measured: its time, and that time per second of the source's audio.
    assertThat(encodes().count()).isEqualTo(1);
    Timer perAudioSecond = registry.get("mp3.conversion.per.audio.second").tag("step", "encode").timer();
    assertThat(perAudioSecond.count()).isEqualTo(1);
    assertThat(perAudioSecond.totalTime(TimeUnit.SECONDS))
        .isCloseTo(encodes().totalTime(TimeUnit.SECONDS) / 2.0, within(1e-6));
  }

  private Timer encodes() {
    return registry.get("mp3.conversion").tag("step", "encode").timer();
  }

  @Test
  void aConversionOverTheWallClockLimitIsKilled() throws Exception {
    AudioFixtures.writeSineWav(dir.resolve(JobWorkspace.SOURCE_FILE), 120.0);
    ConversionRequested job = job("320k");
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMillis(150), 10_800, OutputFormat.MP3, metrics, false);

    long started = System.nanoTime();
    EncoderReport report = ffmpeg.report();
    ToolOutcome outcome = run(ffmpeg.conversion(dir, new SourceMedia("wav", "pcm_s16le", 120.0), job, report, null));

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(outcome.timedOut()).isTrue();
    assertThatThrownBy(() -> ffmpeg.verify(outcome, dir, new SourceMedia("wav", "pcm_s16le", 120.0), job, report))
        .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
    assertThat(encodes().count()).as("a failed encode is not measured").isZero();
  }

  @Test
  void anInputThatIsNotWhatTheProbeSaidFailsTheConversion() throws Exception {
    Files.writeString(dir.resolve(JobWorkspace.SOURCE_FILE), "not a wav at all");
    ConversionRequested job = job("192k");
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800, OutputFormat.MP3, metrics, false);

    EncoderReport report = ffmpeg.report();
    ToolOutcome outcome = run(ffmpeg.conversion(dir, new SourceMedia("wav", "pcm_s16le", 1.0), job, report, null));

    assertThat(outcome.timedOut()).isFalse();
    assertThat(outcome.exitValue()).isNotZero();
    assertThatThrownBy(() -> ffmpeg.verify(outcome, dir, new SourceMedia("wav", "pcm_s16le", 1.0), job, report))
        .isInstanceOfSatisfying(ConversionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.CONVERSION_FAILED));
    assertThat(encodes().count()).as("a failed encode is not measured").isZero();
  }

  @Test
  void aCoverIsDroppedByDefaultAndCarriedOverBoundedWhenPicturesAreAllowed() throws Exception {
    AudioFixtures.writeTaggedFlac(dir.resolve(JobWorkspace.SOURCE_FILE), 1.0, Map.of("TITLE", "Covered"), true);
    ConversionRequested job = job("128k");
    MediaProbe probe = new MediaProbe("ffprobe", Duration.ofSeconds(30), 10_800);
    SourceMedia media = probe.source(run(probe.sourceProbe(dir)), job);
    assertThat(media.pictureStream()).isNotNull();
    assertThat(media.tags().title()).isEqualTo("Covered");

    FfmpegCommand dropping = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800, OutputFormat.MP3, metrics, false);
    EncoderReport dropped = dropping.report();
    dropping.verify(run(dropping.conversion(dir, media, job, dropped, null)), dir, media, job, dropped);
    assertThat(streams(dir.resolve(JobWorkspace.OUTPUT_FILE))).extracting(s -> s.path("codec_type").asText())
        .containsExactly("audio");

    FfmpegCommand keeping = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800, OutputFormat.MP3, metrics, true);
    EncoderReport kept = keeping.report();
    keeping.verify(run(keeping.conversion(dir, media, job, kept, null)), dir, media, job, kept);
    JsonNode streams = streams(dir.resolve(JobWorkspace.OUTPUT_FILE));
    assertThat(streams).extracting(s -> s.path("codec_type").asText()).containsExactlyInAnyOrder("audio", "video");
    for (JsonNode stream : streams) {
      if ("video".equals(stream.path("codec_type").asText())) {
        assertThat(stream.path("codec_name").asText()).isEqualTo("mjpeg");
        assertThat(stream.path("disposition").path("attached_pic").asInt()).isEqualTo(1);
        assertThat(stream.path("width").asInt()).isLessThanOrEqualTo(FfmpegCommand.PICTURE_SIDE);
      }
    }
  }

  private static JsonNode streams(Path file) throws Exception {
    return Json.MESSAGES.readTree(Ffprobe.json(file)).path("streams");
  }

  @Test
  void aMissingFfprobeIsAnErrorNotAVerdict() {
    ToolRun run = new MediaProbe("/nonexistent/ffprobe", Duration.ofSeconds(5), 60).sourceProbe(dir);

    Exchange exchange = template.send(EXEC, e -> e.getIn().setBody(run));

    assertThat(exchange.getException()).isNotNull().isNotInstanceOf(ConversionException.class);
  }

  @Test
  void headersThatCameWithAMessageNeverNameWhatRuns() {
    Path planted = dir.resolve("planted");

    Exchange exchange = template.send(EXEC, e -> {
      e.getIn().setBody(new ToolRun("ffprobe", List.of("-version"), dir, Duration.ofSeconds(30)));
      e.getIn().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, "touch");
      e.getIn().setHeader(ExecBinding.EXEC_COMMAND_ARGS, List.of(planted.toString()));
      e.getIn().setHeader(ExecBinding.EXEC_COMMAND_WORKING_DIR, "/");
    });

    assertThat(exchange.getException()).isNull();
    ToolOutcome outcome = exchange.getMessage().getBody(ToolOutcome.class);
    assertThat(outcome.succeeded()).isTrue();
    assertThat(outcome.stdout()).startsWith("ffprobe version");
    assertThat(planted).doesNotExist();
  }

  @Test
  void onlyAToolRunIsRun() {
    Exchange exchange = template.send(EXEC, e -> {
      e.getIn().setBody("touch " + dir.resolve("planted"));
      e.getIn().setHeader(ExecBinding.EXEC_COMMAND_EXECUTABLE, "touch");
    });

    assertThat(exchange.getException()).isNotNull();
    assertThat(dir.resolve("planted")).doesNotExist();
  }

  private static ToolOutcome run(ToolRun run) {
    Exchange exchange = template.send(EXEC, e -> e.getIn().setBody(run));
    assertThat(exchange.getException()).isNull();
    return exchange.getMessage().getBody(ToolOutcome.class);
  }

  private static ConversionRequested job(String bitrate) {
    return new ConversionRequested(1, "00000000-0000-0000-0000-000000000001", "00000000-0000-0000-0000-000000000002",
        "a@example.org", "A", "http://example.org/a.wav", bitrate, Instant.EPOCH);
  }
}
