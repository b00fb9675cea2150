package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.worker.WorkerCapacity;
import com.mp3converter.worker.routes.JobBus.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/**
 * A backlog on one encoder slot and one job ahead (real RabbitMQ, ffmpeg, S3Proxy, sources from loopback): never
 * two ffmpegs at once, yet the job ahead is downloaded and probed while the encoder runs, so the encoder does not
 * wait for it. The exec and probe steps are watched through AdviceWith, the routes otherwise as deployed.
 */
@TestPropertySource(properties = {
  "mp3.allow-private-sources=true",
  "mp3.worker.concurrency=1",
  "mp3.worker.jobs-ahead=1",
})
class WorkerCapacityRoutesTest extends WorkerStorageRouteTestSupport {
  private static final int JOBS = 4;

  @Autowired
  WorkerCapacity capacity;

  @AfterEach
  void everyTempFolderIsGone() throws Exception {
    assertNoJobLeftInTheWorkDir();
  }

  @Test
  void oneEncoderRunsOneFfmpegAtATimeWhileTheJobAheadDownloadsAndProbes() throws Exception {
    AtomicInteger encoding = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    AtomicInteger probedDuringAnEncode = new AtomicInteger();
    AdviceWith.adviceWith(camel, "worker-convert", route -> {
      route.weaveByToUri("exec:ffmpeg*").before().process(e -> mostAtOnce.accumulateAndGet(encoding.incrementAndGet(), Math::max));
      route.weaveByToUri("exec:ffmpeg*").after().process(e -> encoding.decrementAndGet());
    });
    AdviceWith.adviceWith(camel, "worker-probe", route -> route.weaveAddFirst().process(e -> {
      if (encoding.get() > 0) {
        probedDuringAnEncode.incrementAndGet();
      }
    }));
    // The worker's routes are supervised: advised routes are added back stopped.
    camel.getRouteController().startRoute("worker-convert");
    camel.getRouteController().startRoute("worker-probe");
    // Long enough (ffmpeg ~1 s) that a job ahead's download and probe from loopback fit in another job's encode.
    AudioFixtures.writeSineWav(sources.resolve("three-minutes.wav"), 180.0);

    List<ConversionRequested> jobs = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ConversionRequested job = JobBus.job(server.url("three-minutes.wav"));
      jobs.add(job);
      bus.publish(job);
    }
    for (ConversionRequested job : jobs) {
      assertThat(bus.awaitOutcome(job.jobId(), Duration.ofSeconds(90))).last().extracting(Event::routingKey)
          .isEqualTo(Topology.COMPLETED);
    }

    assertThat(capacity.consumers()).isEqualTo(2);
    assertThat(mostAtOnce).as("ffmpegs at once").hasValue(1);
    assertThat(probedDuringAnEncode).as("sources probed while another job's ffmpeg ran").hasPositiveValue();
    assertThat(capacity.encodersBusy()).isZero();
  }
}
