package com.mp3converter.launcher.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.fault.FaultReport.Row;
import com.mp3converter.launcher.fault.FaultSystem.User;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.PoisonAudio;
import com.mp3converter.testing.ResendStub;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 3's eight faults, and two of the hardening issue (a whole broker node restart, services started while
 * PostgreSQL is down), against the real system: a 202 is a promise that the job ends completed or failed, with
 * exactly one email and, when completed, exactly one MP3 object, whatever crashes, restarts or misbehaves in
 * between. Each scenario has a user of its own and counts what the system did for that user's jobs; the counts
 * go to target/fault-report.md and docs/reliability.md. A scenario that stops RabbitMQ or PostgreSQL brings it
 * back in a finally block, and every scenario ends by restoring whatever it took away (@AfterEach).
 *
 * <p>Runs in the {@code fault-tests} profile: {@code mvn -B -o -pl services/launcher -Pfault-tests verify}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReliabilityFaultTest {
  /** About 7 s of ffmpeg on a free core: long enough to be caught in the middle of it. */
  private static final double LONG_SOURCE_SECONDS = 15 * 60;
  private static final Duration JOB = Duration.ofSeconds(180);
  private static final Duration EMAIL = Duration.ofSeconds(60);
  private static final Duration SETTLE = Duration.ofSeconds(90);

  @TempDir
  static Path work;

  /** A failed scenario gets its row too, with what went wrong, and its stack trace in the test output. */
  @RegisterExtension
  final TestWatcher failures = new TestWatcher() {
    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
      cause.printStackTrace();
      String message = String.valueOf(cause.getMessage()).replaceAll("\\s+", " ");
      report.add(new Row(context.getDisplayName().substring(0, context.getDisplayName().indexOf(':')), 0, 0, 0, 0,
          0, 0, (System.nanoTime() - started) / 1e9,
          "FAILED: " + message.substring(0, Math.min(300, message.length()))));
    }
  };

  private FaultSystem system;
  private final FaultReport report = new FaultReport();
  private final AtomicBoolean s3Away = new AtomicBoolean();
  private long started;

  @BeforeAll
  void startTheSystem() throws Exception {
    Path sources = Files.createDirectories(work.resolve("sources"));
    Path longSource = AudioFixtures.writeSineWav(sources.resolve("long.wav"), LONG_SOURCE_SECONDS);
    // One file under several names, so the source server counts the downloads of each scenario apart.
    Files.createLink(sources.resolve("long-kill.wav"), longSource);
    Files.createLink(sources.resolve("long-term.wav"), longSource);
    Files.delete(longSource);
    for (String name : List.of("resend.wav", "notifier.wav", "pg.wav", "burst.wav", "node.wav", "s3.wav",
        "pg-start.wav", "rabbit-start.wav")) {
      AudioFixtures.writeSineWav(sources.resolve(name), 2.0);
    }
    PoisonAudio.writeUndecodableWav(sources.resolve("poison.wav"));
    system = FaultSystem.start(work);
  }

  @AfterAll
  void stopTheSystem() throws Exception {
    try {
      report.write(Path.of("target", "fault-report.md"));
    } finally {
      try {
        if (system != null) {
          system.close();
        }
      } finally {
        Infrastructure.ensureRabbitUp();
        Infrastructure.ensurePostgresUp();
      }
    }
  }

  /** Whatever a scenario took away comes back, even when it failed half-way. */
  @AfterEach
  void restoreTheMachine() throws Exception {
    Infrastructure.ensureRabbitUp();
    Infrastructure.ensurePostgresUp();
    if (s3Away.getAndSet(false)) {
      system.startS3();
    }
    system.resend().onEmail(email -> {});
    if (!system.worker().isAlive()) {
      system.startWorker();
    }
    if (!system.notifier().isAlive()) {
      system.startNotifier();
    }
  }

  // --- 4: Resend answers 500, 500, 500, 429 (retry-after), then 200 ----------------------------------------

  @Test
  @Order(1)
  @DisplayName("4. Resend answers 500 three times, then 429 with retry-after, then 200: exactly one email")
  void resendErrorsAndRateLimitEndInOneEmail() throws Exception {
    begin();
    system.awaitSettled(SETTLE);
    User user = system.register("resend@fault.test");
    String error = "{\"statusCode\":500,\"name\":\"internal_server_error\",\"message\":\"boom\"}";
    system.resend()
        .thenAnswer(500, Map.of(), error).thenAnswer(500, Map.of(), error).thenAnswer(500, Map.of(), error)
        .thenAnswer(429, Map.of("retry-after", "2"),
            "{\"statusCode\":429,\"name\":\"rate_limit_exceeded\",\"message\":\"Too many requests\"}");

    String id = system.accept(user, system.files().url("resend.wav"));
    JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
    await().atMost(EMAIL).until(() -> system.emailsFor(id).size() == 1);
    system.awaitSettled(SETTLE);

    assertThat(job.get("status").asText()).isEqualTo("completed");
    List<Integer> answers = system.resend().attempts().stream()
        .filter(a -> a.idempotencyKey() != null && a.idempotencyKey().contains(id))
        .map(ResendStub.Attempt::status).toList();
    assertThat(answers).containsExactly(500, 500, 500, 429, 200);
    assertThat(system.emailsFor(id)).hasSize(1);
    assertThat(system.objects(user)).containsExactly(FaultSystem.objectKey(user, id));
    report("4. Resend 500 x3, 429, 200", user, List.of(id), Map.of(id, job), "resend.wav", "Resend answers: " + answers);
  }

  // --- 5: a poison job --------------------------------------------------------------------------------------

  @Test
  @Order(2)
  @DisplayName("5. A poison job (ffmpeg fails on it every time): one failed event, one email, parked, bounded")
  void aPoisonJobFailsOnceIsParkedAndItsUserIsTold() throws Exception {
    begin();
    User user = system.register("poison@fault.test");
    try (Connection connection = Infrastructure.connect("fault-test-tap")) {
      Channel channel = connection.createChannel();
      String tap = channel.queueDeclare("", false, true, true, null).getQueue();
      channel.queueBind(tap, Topology.EXCHANGE, Topology.FAILED);

      String id = system.accept(user, system.files().url("poison.wav"));
      JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
      await().atMost(EMAIL).until(() -> system.emailsFor(id).size() == 1);
      system.awaitSettled(SETTLE);

      assertThat(job.get("status").asText()).isEqualTo("failed");
      assertThat(job.get("error").get("reason").asText()).isEqualTo("conversion_failed");
      assertThat(system.emailsFor(id)).singleElement()
          .satisfies(email -> assertThat(email.subject()).isEqualTo("We could not convert your file"));
      long failedEvents = Infrastructure.drain(channel, tap).stream().filter(body -> body.contains(id)).count();
      assertThat(failedEvents).isEqualTo(1);
      List<String> parked = Infrastructure.drain(channel, "worker.conversions.dlq");
      assertThat(parked).filteredOn(body -> body.contains(id)).hasSize(1);
      // Attempts are bounded: ffmpeg's refusal is not a passing failure, so the job ran once.
      assertThat(system.downloads("poison.wav")).isEqualTo(1);
      assertThat(system.objects(user)).isEmpty();
      report("5. poison job", user, List.of(id), Map.of(id, job), "poison.wav",
          "1 conversion.failed event; job in worker.conversions.dlq");
    }
  }

  // --- 1: the worker is SIGKILLed while ffmpeg runs ----------------------------------------------------------

  @Test
  @Order(3)
  @DisplayName("1. Worker killed with SIGKILL in the middle of ffmpeg: the job is redone, one object, one email, "
      + "no folder left")
  void aWorkerKilledMidConversionLeavesTheJobToBeRedone() throws Exception {
    begin();
    User user = system.register("kill@fault.test");
    ServiceProcess worker = system.worker();

    String id = system.accept(user, system.files().url("long-kill.wav"));
    await().atMost(JOB).pollInterval(Duration.ofMillis(50)).until(() -> !worker.ffmpegRuns().isEmpty());
    worker.kill();
    List<Path> leftByTheCrash = system.workerLeftovers();
    assertThat(leftByTheCrash).as("the killed worker's job folder").isNotEmpty();
    system.startWorker();

    JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
    await().atMost(EMAIL).until(() -> system.emailsFor(id).size() == 1);
    system.awaitSettled(SETTLE);

    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(system.emailsFor(id)).hasSize(1);
    assertThat(system.objects(user)).containsExactly(FaultSystem.objectKey(user, id));
    // Redone from the start by the next worker.
    assertThat(system.downloads("long-kill.wav")).isEqualTo(2);
    // The next worker, on the same work dir, removed what the killed one left, and its own job's folder.
    assertThat(system.workerLeftovers()).isEmpty();
    report("1. worker SIGKILL mid-ffmpeg", user, List.of(id), Map.of(id, job), "long-kill.wav",
        "killed while ffmpeg ran; redone by the next worker; " + leftByTheCrash.size()
            + " leftovers of the killed worker removed when the next one started");
  }

  // --- 8: the worker gets SIGTERM during a job -----------------------------------------------------------------

  @Test
  @Order(4)
  @DisplayName("8. SIGTERM to the worker during a job: the job completes once")
  void aWorkerStoppedDuringAJobFinishesItFirst() throws Exception {
    begin();
    User user = system.register("term@fault.test");
    ServiceProcess worker = system.worker();

    String id = system.accept(user, system.files().url("long-term.wav"));
    await().atMost(JOB).pollInterval(Duration.ofMillis(50)).until(() -> !worker.ffmpegRuns().isEmpty());
    long stopping = System.nanoTime();
    Optional<Integer> exit = worker.terminate(Duration.ofSeconds(120));
    double stopSeconds = (System.nanoTime() - stopping) / 1e9;
    assertThat(exit).as("the worker exits within its grace period").isPresent();
    system.startWorker();

    JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
    await().atMost(EMAIL).until(() -> system.emailsFor(id).size() == 1);
    system.awaitSettled(SETTLE);

    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(system.emailsFor(id)).hasSize(1);
    assertThat(system.objects(user)).containsExactly(FaultSystem.objectKey(user, id));
    // Converted once: the stopping worker finished it before it exited, nobody redid it.
    assertThat(system.downloads("long-term.wav")).isEqualTo(1);
    report("8. worker SIGTERM during a job", user, List.of(id), Map.of(id, job), "long-term.wav",
        String.format("worker exited %.1f s after SIGTERM, job finished first", stopSeconds));
  }

  // --- 7: the notifier dies after Resend accepted the email, before the ack -------------------------------------

  @Test
  @Order(5)
  @DisplayName("7. Notifier killed after Resend accepted the email and before the ack: still one email")
  void aNotifierKilledBeforeItsAckSendsNoSecondEmail() throws Exception {
    begin();
    User user = system.register("notifier@fault.test");
    ServiceProcess notifier = system.notifier();
    CountDownLatch killed = new CountDownLatch(1);
    // Inside the stub, after it accepted the email and before it answers: the notifier never hears back.
    system.resend().onEmail(email -> {
      if (email.to().contains(user.email()) && killed.getCount() > 0) {
        try {
          notifier.kill();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        killed.countDown();
      }
    });

    String id = system.accept(user, system.files().url("notifier.wav"));
    assertThat(killed.await(JOB.toSeconds(), TimeUnit.SECONDS)).as("the email was accepted").isTrue();
    system.resend().onEmail(email -> {});
    system.startNotifier();

    JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
    // The event comes back to the new notifier, which asks Resend again with the same Idempotency-Key.
    await().atMost(EMAIL).until(() -> attempts(id).size() >= 2);
    system.awaitSettled(SETTLE);

    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(system.emailsFor(id)).hasSize(1);
    assertThat(system.objects(user)).containsExactly(FaultSystem.objectKey(user, id));
    report("7. notifier killed before its ack", user, List.of(id), Map.of(id, job), "notifier.wav",
        "killed inside Resend's accept; Resend answers " + attempts(id));
  }

  // --- 3: the object store is away for 20 s during conversions -------------------------------------------------

  @Test
  @Order(6)
  @DisplayName("3. S3 unavailable for 20 s during conversions: the jobs complete after it returns")
  void jobsWaitForTheObjectStoreToComeBack() throws Exception {
    begin();
    User user = system.register("s3@fault.test");
    List<String> ids = new ArrayList<>();
    // The store goes away, then jobs arrive and are converted while it is away: every upload fails.
    system.stopS3();
    s3Away.set(true);
    long away = System.nanoTime();
    for (int i = 0; i < 4; i++) {
      ids.add(system.accept(user, system.files().url("s3.wav")));
    }
    await().atMost(JOB).until(() -> ids.stream().anyMatch(id -> "processing".equals(status(user, id))));
    // The outage itself: twenty seconds in which every upload fails, and nothing finishes throughout.
    Duration outage = Duration.ofMillis(Math.max(0, 20_000 - (System.nanoTime() - away) / 1_000_000));
    await().alias("nothing finishes while the store is away").during(outage).atMost(outage.plusSeconds(10))
        .until(() -> ids.stream().map(id -> status(user, id)).noneMatch("completed"::equals));
    system.startS3();
    s3Away.set(false);

    Map<String, JsonNode> jobs = system.awaitFinal(user, ids, JOB);
    await().atMost(EMAIL).until(() -> ids.stream().allMatch(id -> system.emailsFor(id).size() == 1));
    system.awaitSettled(SETTLE);

    assertThat(jobs.values()).extracting(j -> j.get("status").asText()).containsOnly("completed");
    assertThat(ids).allSatisfy(id -> assertThat(system.emailsFor(id)).hasSize(1));
    assertThat(system.objects(user)).containsExactlyInAnyOrderElementsOf(
        ids.stream().map(id -> FaultSystem.objectKey(user, id)).toList());
    report("3. S3 away 20 s", user, ids, jobs, "s3.wav", "uploads retried in place while the store was away");
  }

  // --- 6: PostgreSQL restarts ---------------------------------------------------------------------------------

  @Test
  @Order(7)
  @DisplayName("6. PostgreSQL restarted: login and status recover without restarting any service")
  void loginAndStatusRecoverAfterADatabaseRestart() throws Exception {
    begin();
    User user = system.register("pg@fault.test");
    long workerPid = system.worker().pid();
    long notifierPid = system.notifier().pid();
    List<String> ids = new ArrayList<>();
    ids.add(system.accept(user, system.files().url("pg.wav")));
    system.awaitFinal(user, ids, JOB);
    try {
      Infrastructure.restartPostgres();
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> system.login(user.email()).statusCode() == 200);
      await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
          .until(() -> system.status(user, ids.get(0)).statusCode() == 200);
      ids.add(system.accept(user, system.files().url("pg.wav")));
    } finally {
      Infrastructure.ensurePostgresUp();
    }

    Map<String, JsonNode> jobs = system.awaitFinal(user, ids, JOB);
    await().atMost(EMAIL).until(() -> ids.stream().allMatch(id -> system.emailsFor(id).size() == 1));
    system.awaitSettled(SETTLE);

    assertThat(jobs.values()).extracting(j -> j.get("status").asText()).containsOnly("completed");
    assertThat(ids).allSatisfy(id -> assertThat(system.emailsFor(id)).hasSize(1));
    assertThat(system.objects(user)).hasSize(2);
    // Nothing was restarted to get there.
    assertThat(system.worker().pid()).isEqualTo(workerPid);
    assertThat(system.notifier().pid()).isEqualTo(notifierPid);
    report("6. PostgreSQL restart", user, ids, jobs, "pg.wav",
        "one job before, one after the restart; same processes throughout");
  }

  // --- 2: RabbitMQ restarts during a burst of 50 submissions ---------------------------------------------------

  @Test
  @Order(8)
  @DisplayName("2. RabbitMQ restarted during a burst of 50 submissions: every 202'd job completes, none twice")
  void everyAcceptedJobCompletesAcrossABrokerRestart() throws Exception {
    begin();
    User user = system.register("burst@fault.test");
    Burst burst = burst(user, "burst.wav", () -> {
      Infrastructure.stopRabbit();
      Infrastructure.startRabbit();
    });
    Map<String, JsonNode> jobs = awaitBurstSettled(user, burst);

    int strayEmails = system.emailsTo(user).size() - burst.accepted().size();
    report("2. RabbitMQ restart in a burst of 50", user, burst.accepted(), jobs, "burst.wav",
        burst.refused() + " submissions answered 503 while the broker was away"
        + (strayEmails > 0 ? "; " + strayEmails + " of them ran anyway (broker took them, confirm lost)" : ""));
  }

  // --- 9: the whole RabbitMQ node restarts during a burst of 50 submissions -----------------------------------

  @Test
  @Order(9)
  @DisplayName("9. The RabbitMQ node (the server process) restarted during a burst of 50 submissions: every 202'd "
      + "job completes once, no 503'd job is emailed")
  void everyAcceptedJobCompletesOnceAcrossABrokerNodeRestart() throws Exception {
    begin();
    User user = system.register("node@fault.test");
    // A durable tap on conversion.completed: it outlives the node restart, like the system's own queues.
    String tap = "fault-tap-completed-node";
    try (Connection connection = Infrastructure.connect("fault-test-tap")) {
      Channel channel = connection.createChannel();
      channel.queueDeclare(tap, true, false, false, null);
      channel.queueBind(tap, Topology.EXCHANGE, Topology.COMPLETED);
    }
    Burst burst = burst(user, "node.wav", () -> {
      Infrastructure.stopRabbitNode();
      Infrastructure.startRabbitNode();
    });
    Map<String, JsonNode> jobs = awaitBurstSettled(user, burst);

    Map<String, Long> completedEvents;
    try (Connection connection = Infrastructure.connect("fault-test-tap")) {
      Channel channel = connection.createChannel();
      List<String> events = Infrastructure.drain(channel, tap);
      channel.queueDelete(tap);
      completedEvents = burst.accepted().stream().collect(Collectors.toMap(id -> id,
          id -> events.stream().filter(body -> body.contains(id)).count()));
    }
    // Every accepted job was announced completed (a job redelivered after the restart whose MP3 was already
    // stored is announced again: that is by design, and the email and the object stay one).
    assertThat(completedEvents.values()).allSatisfy(count -> assertThat(count).isPositive());
    long announcedAgain = completedEvents.values().stream().filter(count -> count > 1).count();
    // Submissions answered 503 never reach their user: every email of this user is one of an accepted job.
    assertThat(system.emailsTo(user)).as("emails for submissions answered 503").hasSize(burst.accepted().size());
    report("9. RabbitMQ node restart in a burst of 50", user, burst.accepted(), jobs, "node.wav",
        burst.refused() + " submissions answered 503 while the node was down, none emailed; "
        + "conversion.completed events: " + completedEvents.values().stream().mapToLong(Long::longValue).sum()
        + " (" + announcedAgain + " jobs announced again after redelivery)");
  }

  /**
   * 50 submissions over about 8 s (one per 160 ms slot); after the 10th, {@code outage} runs in the background
   * while the rest arrive, so the broker is away in the middle of the burst. The broker is up again when this
   * returns, whatever happened.
   */
  private Burst burst(User user, String sourceName, Outage outage) throws Exception {
    String source = system.files().url(sourceName);
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    AtomicInteger refused = new AtomicInteger();
    List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Void> restart = new CompletableFuture<>();
    long burstStart = System.nanoTime();
    try {
      for (int i = 0; i < 50; i++) {
        HttpResponse<String> response = system.submit(user, source);
        if (response.statusCode() == 202) {
          accepted.add(Json.MESSAGES.readTree(response.body()).get("id").asText());
        } else if (response.statusCode() == 503) {
          refused.incrementAndGet();
        } else {
          unexpected.add(response.statusCode() + " " + response.body());
        }
        if (i == 9) {
          CompletableFuture.runAsync(() -> {
            try {
              outage.run();
              restart.complete(null);
            } catch (Exception e) {
              restart.completeExceptionally(e);
            }
          });
        }
        long nextSlot = burstStart + (i + 1) * 160_000_000L;
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(10))
            .until(() -> System.nanoTime() - nextSlot >= 0);
      }
      restart.get(3, TimeUnit.MINUTES);
    } finally {
      Infrastructure.ensureRabbitUp();
    }
    assertThat(unexpected).as("only 202 or 503").isEmpty();
    assertThat(refused.get()).as("the broker was really away for some submissions").isPositive();
    return new Burst(List.copyOf(accepted), refused.get());
  }

  /** Every accepted job ends completed, with exactly one email and its one object; answers the jobs' views. */
  private Map<String, JsonNode> awaitBurstSettled(User user, Burst burst) throws Exception {
    List<String> accepted = burst.accepted();
    Map<String, JsonNode> jobs = system.awaitFinal(user, accepted, Duration.ofMinutes(4));
    await().atMost(Duration.ofMinutes(2))
        .until(() -> accepted.stream().allMatch(id -> !system.emailsFor(id).isEmpty()));
    system.awaitSettled(SETTLE);

    assertThat(jobs.values()).extracting(j -> j.get("status").asText()).containsOnly("completed");
    assertThat(accepted).allSatisfy(id -> assertThat(system.emailsFor(id)).hasSize(1));
    Set<String> objects = system.objects(user);
    assertThat(objects).containsAll(accepted.stream().map(id -> FaultSystem.objectKey(user, id)).toList());
    return jobs;
  }

  private record Burst(List<String> accepted, int refused) {}

  @FunctionalInterface
  private interface Outage {
    void run() throws Exception;
  }

  // --- 10 and 11: the services start while PostgreSQL, or RabbitMQ, is down -------------------------------------

  @Test
  @Order(10)
  @DisplayName("10. The services started while PostgreSQL is stopped, which starts 20 s later: they run not "
      + "ready, become ready without a restart, and a journey completes")
  void theServicesStartWithoutTheDatabaseAndRecover() throws Exception {
    begin();
    // New, empty databases: the services must also migrate them once PostgreSQL is back.
    Map<String, Integer> readinessWhileDown = startWithout("PostgreSQL", true, Infrastructure::stopPostgres,
        Infrastructure::startPostgres, Infrastructure::ensurePostgresUp);
    assertThat(readinessWhileDown).as("readiness while the database is down")
        .containsEntry("auth", 503).containsEntry("gateway", 503).containsEntry("notifier", 503)
        .containsEntry("worker", 200);
    journey("10. services started with PostgreSQL down", "pg-start", readinessWhileDown);
  }

  @Test
  @Order(11)
  @DisplayName("11. The services started while the RabbitMQ node is down, which starts 20 s later: they run, "
      + "those that need it not ready, all ready without a restart, and a journey completes")
  void theServicesStartWithoutTheBrokerAndRecover() throws Exception {
    begin();
    Map<String, Integer> readinessWhileDown = startWithout("RabbitMQ", false, Infrastructure::stopRabbitNode,
        Infrastructure::startRabbitNode, Infrastructure::ensureRabbitUp);
    // The gateway stays ready on purpose: status, lists and downloads work without the broker (intake is a 503).
    assertThat(readinessWhileDown).as("readiness while the broker is down")
        .containsEntry("auth", 200).containsEntry("gateway", 200).containsEntry("notifier", 503)
        .containsEntry("worker", 503);
    journey("11. services started with RabbitMQ down", "rabbit-start", readinessWhileDown);
  }

  /**
   * Stops the four services once the system has settled, takes {@code dependency} away, starts the services
   * without waiting for them, checks they all run and are alive, brings the dependency back 20 s after it went,
   * and waits until every service is ready, none restarted. Answers each service's readiness while it was away.
   */
  private Map<String, Integer> startWithout(String dependency, boolean freshDatabases, Outage stop, Outage start,
      Outage ensureUp) throws Exception {
    system.awaitSettled(SETTLE);
    system.stopServices();
    if (freshDatabases) {
      system.createDatabases();
    }
    Map<String, Integer> readinessWhileDown;
    try {
      stop.run();
      long stopped = System.nanoTime();
      system.startServices(false);
      // Up and alive: nobody exited. Whoever needs the dependency is not ready, and says so.
      await().alias("every service has started").atMost(FaultSystem.READY).pollInterval(Duration.ofMillis(500))
          .until(() -> system.readinessStates().values().stream().allMatch("UP"::equals));
      assertThat(system.probes("liveness")).as("liveness while " + dependency + " is away")
          .allSatisfy((service, code) -> assertThat(code).as(service).isEqualTo(200));
      readinessWhileDown = system.probes("readiness");
      Duration rest = Duration.ofMillis(Math.max(0, 20_000 - (System.nanoTime() - stopped) / 1_000_000));
      await().alias("the services keep running while " + dependency + " is away").during(rest)
          .atMost(rest.plusSeconds(10)).until(system::allRunning);
      start.run();
      await().alias("every service becomes ready").atMost(Duration.ofSeconds(120))
          .pollInterval(Duration.ofMillis(500)).until(() -> system.allRunning()
              && system.probes("readiness").values().stream().allMatch(code -> code == 200));
    } finally {
      ensureUp.run();
    }
    return readinessWhileDown;
  }

  /** Register, log in, convert, get the email: on the services as they are now. */
  private void journey(String scenario, String sourceName, Map<String, Integer> readinessWhileDown)
      throws Exception {
    User user = system.register(sourceName + "@fault.test");
    String id = system.accept(user, system.files().url(sourceName + ".wav"));
    JsonNode job = system.awaitFinal(user, List.of(id), JOB).get(id);
    await().atMost(EMAIL).until(() -> system.emailsFor(id).size() == 1);
    system.awaitSettled(SETTLE);

    assertThat(job.get("status").asText()).isEqualTo("completed");
    assertThat(system.emailsFor(id)).hasSize(1);
    assertThat(system.objects(user)).containsExactly(FaultSystem.objectKey(user, id));
    report(scenario, user, List.of(id), Map.of(id, job), sourceName + ".wav",
        "readiness while it was down " + readinessWhileDown + ", liveness 200; all ready when it returned, "
            + "no service restarted");
  }

  // --- helpers -------------------------------------------------------------------------------------------------

  private void begin() {
    started = System.nanoTime();
  }

  private String status(User user, String id) {
    try {
      HttpResponse<String> response = system.status(user, id);
      return response.statusCode() == 200 ? Json.MESSAGES.readTree(response.body()).get("status").asText() : "?";
    } catch (Exception e) {
      return "?";
    }
  }

  private List<Integer> attempts(String id) {
    return system.resend().attempts().stream()
        .filter(a -> a.idempotencyKey() != null && a.idempotencyKey().contains(id))
        .map(ResendStub.Attempt::status).toList();
  }

  /** Counts what the system did for these jobs and adds the scenario's row to the report. */
  private void report(String scenario, User user, List<String> ids, Map<String, JsonNode> jobs, String source,
      String note) {
    int completed = (int) jobs.values().stream().filter(j -> j.get("status").asText().equals("completed")).count();
    int failed = (int) jobs.values().stream().filter(j -> j.get("status").asText().equals("failed")).count();
    int emails = ids.stream().mapToInt(id -> system.emailsFor(id).size()).sum();
    Set<String> objects = system.objects(user);
    int stored = (int) ids.stream().filter(id -> objects.contains(FaultSystem.objectKey(user, id))).count();
    report.add(new Row(scenario, ids.size(), completed, failed, emails, stored, system.downloads(source),
        (System.nanoTime() - started) / 1e9, note));
  }
}
