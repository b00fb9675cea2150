package com.mp3converter.gateway.conversions;

import com.mp3converter.gateway.JobControlProperties;
import com.mp3converter.gateway.downloads.Downloads;
import com.mp3converter.gateway.web.Authenticator;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.problem.Problem;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /conversions/{id}/events}: the caller's job as Server-Sent Events, one {@code status} event (data: the
 * status document of {@code GET /conversions/{id}}) per change of status or progress, ending after the job ends
 * (completed, failed or cancelled). A Spring MVC controller rather than a Camel route: a stream stays open for
 * minutes, and {@link SseEmitter} holds it without holding a request thread.
 *
 * <p>Each gateway instance reads its watched jobs from the database every {@code mp3.job-control.events-poll-
 * interval} (one indexed primary-key read per stream). The status queue is shared by competing consumers, so an
 * instance sees only some of the events; the database row is what every instance agrees on, whichever instance
 * applied the event, and a poll also survives a broker outage. A comment line every {@code events-heartbeat} keeps
 * proxies from closing a quiet stream and tells a client that went away.
 *
 * <p>Limits: {@code events-max-per-user} open streams per user (429 beyond), {@code events-max-total} per instance
 * (503 beyond), each stream at most {@code events-timeout}. Unknown, malformed, other users' ids: 404; a deleted
 * job: 410; no valid token: 401 (problem bodies).
 */
@RestController
public class ConversionEventsController implements DisposableBean {
  private static final Logger LOG = LoggerFactory.getLogger(ConversionEventsController.class);
  public static final String EVENT_NAME = "status";

  private final Authenticator authenticator;
  private final Conversions conversions;
  private final ConversionViews views;
  private final JobControlProperties properties;
  private final Map<SseEmitter, Watch> watches = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> perUser = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();
  private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "conversion-events");
    thread.setDaemon(true);
    return thread;
  });

  /** One open stream: its job and user, and what it last sent. */
  private static final class Watch {
    final UUID jobId;
    final UUID userId;
    final SseEmitter emitter;
    String lastState;
    Instant lastWrite = Instant.now();
    boolean released;

    Watch(UUID jobId, UUID userId, SseEmitter emitter) {
      this.jobId = jobId;
      this.userId = userId;
      this.emitter = emitter;
    }
  }

  public ConversionEventsController(Authenticator authenticator, Conversions conversions, ConversionViews views,
      JobControlProperties properties) {
    this.authenticator = authenticator;
    this.conversions = conversions;
    this.views = views;
    this.properties = properties;
    long period = properties.eventsPollInterval().toMillis();
    poller.scheduleWithFixedDelay(this::poll, period, period, TimeUnit.MILLISECONDS);
  }

  @GetMapping(path = "/conversions/{id}/events")
  public Object events(@PathVariable("id") String id,
      @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
    try {
      AccessClaims user = authenticator.authenticate(authorization);
      UUID userId = UUID.fromString(user.userId());
      Conversion conversion = conversions.findOwned(ConversionViews.jobId(id), userId)
          .map(Downloads::notDeleted)
          .orElseThrow(() -> ProblemException.notFound("No conversion with this id."));
      reserve(user.userId());
      SseEmitter emitter = new SseEmitter(properties.eventsTimeout().toMillis());
      Watch watch = new Watch(conversion.id(), userId, emitter);
      emitter.onCompletion(() -> release(watch));
      emitter.onTimeout(() -> release(watch));
      emitter.onError(failure -> release(watch));
      watches.put(emitter, watch);
      send(watch, conversion);
      return emitter;
    } catch (ProblemException problem) {
      return problem(problem);
    }
  }

  /** Takes a stream slot for the user, or refuses: 503 when the instance is full, 429 when the user is. */
  private void reserve(String userId) {
    if (total.incrementAndGet() > properties.eventsMaxTotal()) {
      total.decrementAndGet();
      throw new ProblemException(Problem.of(503, "too-many-streams", "Service Unavailable",
          "Too many event streams are open on this server; try again shortly."), Map.of("Retry-After", "5"));
    }
    AtomicInteger mine = perUser.computeIfAbsent(userId, key -> new AtomicInteger());
    if (mine.incrementAndGet() > properties.eventsMaxPerUser()) {
      mine.decrementAndGet();
      total.decrementAndGet();
      throw ProblemException.tooManyRequests("You have " + properties.eventsMaxPerUser()
          + " event streams open already; close one first.", 5);
    }
  }

  private synchronized void release(Watch watch) {
    if (watch.released) {
      return;
    }
    watch.released = true;
    watches.remove(watch.emitter);
    total.decrementAndGet();
    AtomicInteger mine = perUser.get(watch.userId.toString());
    if (mine != null && mine.decrementAndGet() <= 0) {
      perUser.remove(watch.userId.toString(), mine);
    }
  }

  /** One round: every watched job read again; a change is sent, a quiet stream gets its heartbeat. */
  void poll() {
    for (Watch watch : watches.values()) {
      try {
        var current = conversions.findOwned(watch.jobId, watch.userId);
        if (current.isEmpty() || current.get().deleted()) {
          // Deleted (or gone with retention): nothing more will happen to it.
          watch.emitter.complete();
          release(watch);
          continue;
        }
        send(watch, current.get());
        if (!watch.released
            && Duration.between(watch.lastWrite, Instant.now()).compareTo(properties.eventsHeartbeat()) >= 0) {
          watch.emitter.send(SseEmitter.event().comment("heartbeat"));
          watch.lastWrite = Instant.now();
        }
      } catch (IOException | IllegalStateException clientGone) {
        release(watch);
      } catch (RuntimeException e) {
        // The database is down: the stream stays, the next round tries again.
        LOG.debug("Event stream of job {} not updated this round: {}", watch.jobId, e.getMessage());
      }
    }
  }

  /** Sends the job's status document if its status or progress changed; completes the stream once it ended. */
  private void send(Watch watch, Conversion conversion) {
    String state = conversion.status().code() + "/" + conversion.attempts() + "/"
        + Objects.requireNonNullElse(conversion.progress(), -1);
    if (state.equals(watch.lastState)) {
      return;
    }
    try {
      watch.emitter.send(SseEmitter.event().name(EVENT_NAME).id(state)
          .data(Json.MESSAGES.writeValueAsString(views.view(conversion)), MediaType.APPLICATION_JSON));
      watch.lastState = state;
      watch.lastWrite = Instant.now();
      if (conversion.status().isFinal()) {
        watch.emitter.complete();
        release(watch);
      }
    } catch (IOException | IllegalStateException clientGone) {
      release(watch);
    }
  }

  private static ResponseEntity<byte[]> problem(ProblemException failure) {
    Problem problem = failure.problem();
    ResponseEntity.BodyBuilder response = ResponseEntity.status(problem.status())
        .contentType(MediaType.parseMediaType(Problem.MEDIA_TYPE));
    failure.headers().forEach(response::header);
    try {
      return response.body(Json.MESSAGES.writeValueAsBytes(problem));
    } catch (IOException e) {
      return ResponseEntity.status(problem.status()).build();
    }
  }

  /** Open streams of this instance (metrics and tests). */
  public int openStreams() {
    return total.get();
  }

  @Override
  public void destroy() {
    poller.shutdownNow();
    watches.values().forEach(watch -> watch.emitter.complete());
  }
}
