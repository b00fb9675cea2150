package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.worker.job.JobKeys;
import com.mp3converter.worker.job.JobWorkspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real ffmpeg and ffprobe through camel-exec and the ToolExecutor, the way the convert, probe and measure
 * routes run them.
 */
class FfmpegRunTest {
  private static final String FFPROBE = "exec:ffprobe?commandExecutor=#toolExecutor";
  private static final String FFMPEG = "exec:ffmpeg?commandExecutor=#toolExecutor";

  private static CamelContext camel;
  private static ProducerTemplate template;

  @TempDir
  Path dir;

  @BeforeAll
  static void startCamel() {
    camel = new DefaultCamelContext();
    camel.getRegistry().bind("toolExecutor", new ToolExecutor(Duration.ofSeconds(5)));
    camel.start();
    template = camel.createProducerTemplate();
  }

  @AfterAll
  static void stopCamel() {
    camel.stop();
  }

  @Test
  void probesConvertsAndMeasures() throws Exception {
    AudioFixtures.writeSineWav(dir.resolve(JobWorkspace.SOURCE_FILE), 2.0);
    Exchange exchange = job("v2");
    MediaProbe probe = new MediaProbe("ffprobe", Duration.ofSeconds(30), 10_800);
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800);

    probe.sourceCommand(exchange);
    template.send(FFPROBE, exchange);
    probe.source(exchange);
    ffmpeg.prepare(exchange);
    template.send(FFMPEG, exchange);
    ffmpeg.verify(exchange);
    probe.mp3Command(exchange);
    template.send(FFPROBE, exchange);
    probe.mp3(exchange);

    assertThat(exchange.getProperty(JobKeys.SOURCE_MEDIA, SourceMedia.class))
        .isEqualTo(new SourceMedia("wav", "pcm_s16le", 2.0));
    Mp3File mp3 = exchange.getProperty(JobKeys.MP3, Mp3File.class);
    assertThat(mp3.durationSeconds()).isCloseTo(2.0, within(0.1));
    assertThat(mp3.bytes()).isEqualTo(Files.size(dir.resolve(JobWorkspace.OUTPUT_FILE)));
    assertThat(Ffprobe.formatName(mp3.path())).isEqualTo("mp3");
  }

  @Test
  void aConversionOverTheWallClockLimitIsKilled() throws Exception {
    AudioFixtures.writeSineWav(dir.resolve(JobWorkspace.SOURCE_FILE), 120.0);
    Exchange exchange = job("320k");
    exchange.setProperty(JobKeys.SOURCE_MEDIA, new SourceMedia("wav", "pcm_s16le", 120.0));
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMillis(150), 10_800);

    long started = System.nanoTime();
    ffmpeg.prepare(exchange);
    template.send(FFMPEG, exchange);

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> ffmpeg.verify(exchange))
        .isInstanceOfSatisfying(ConversionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.TIMEOUT));
  }

  @Test
  void anInputThatIsNotWhatTheProbeSaidFailsTheConversion() throws Exception {
    Files.writeString(dir.resolve(JobWorkspace.SOURCE_FILE), "not a wav at all");
    Exchange exchange = job("192k");
    exchange.setProperty(JobKeys.SOURCE_MEDIA, new SourceMedia("wav", "pcm_s16le", 1.0));
    FfmpegCommand ffmpeg = new FfmpegCommand("ffmpeg", Duration.ofMinutes(1), 10_800);

    ffmpeg.prepare(exchange);
    template.send(FFMPEG, exchange);

    assertThatThrownBy(() -> ffmpeg.verify(exchange))
        .isInstanceOfSatisfying(ConversionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.CONVERSION_FAILED));
  }

  @Test
  void aMissingFfprobeIsAnErrorNotAVerdict() {
    Exchange exchange = job("192k");
    new MediaProbe("/nonexistent/ffprobe", Duration.ofSeconds(5), 60).sourceCommand(exchange);

    template.send(FFPROBE, exchange);

    assertThat(exchange.getException()).isNotNull().isNotInstanceOf(ConversionException.class);
  }

  private Exchange job(String bitrate) {
    Exchange exchange = new DefaultExchange(camel);
    exchange.setProperty(JobKeys.JOB, new ConversionRequested(1, "00000000-0000-0000-0000-000000000001",
        "00000000-0000-0000-0000-000000000002", "a@example.org", "A", "http://example.org/a.wav", bitrate, Instant.EPOCH));
    exchange.setProperty(JobKeys.JOB_DIR, dir);
    return exchange;
  }
}
