package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.worker.source.SourceDeadlineException;
import java.net.SocketException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.junit.jupiter.api.Test;

/**
 * The classifier as errors.camel.yaml calls it, through Camel's bean binding: retryWhile and then the settling
 * of the failure. What it is handed must be the exception the step threw, not the innermost cause: a deadline
 * that ended a read wraps the "socket closed" of that read, and only the deadline says the failure is final.
 */
class FailureClassifierBindingTest {
  private static final ConversionRequested JOB = new ConversionRequested(1, "00000000-0000-0000-0000-000000000001",
      "00000000-0000-0000-0000-000000000002", "a@example.org", "A", "http://example.org/a.wav", "192k", Instant.EPOCH);

  @Test
  void camelHandsTheClassifierTheExceptionThatWasThrownNotItsCause() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.addRoutes(new JobOutcome() {
        @Override
        void step() {
          from("direct:download")
              .setProperty(JobKeys.STEP, constant(JobStep.DOWNLOAD.toString()))
              .process(exchange -> {
                attempts.incrementAndGet();
                SourceDeadlineException deadline = new SourceDeadlineException(3);
                deadline.initCause(new SocketException("Socket closed"));
                throw deadline;
              });
        }
      });
      camel.start();

      Exchange done = camel.createProducerTemplate().send("direct:download", e -> e.setProperty(JobKeys.JOB, JOB));

      Failure failure = done.getProperty(JobKeys.FAILURE, Failure.class);
      assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE);
      assertThat(failure.retryable()).isFalse();
      assertThat(failure.detail()).startsWith("SourceDeadlineException");
      assertThat(attempts).as("a deadline is not retried").hasValue(1);
    }
  }

  /**
   * A step that replaces the message takes Camel's CamelRedeliveryCounter header with it: camel-http builds its
   * response as a new message, and when the body breaks off half-way it fails with that message in place (which
   * worker-job's doTry promotes). Counted in that header, every failure was the first: retried for ever.
   */
  @Test
  void aStepThatReplacesTheMessageStillUsesUpTheAttempts() throws Exception {
    AtomicInteger attempts = new AtomicInteger();
    try (CamelContext camel = new DefaultCamelContext()) {
      camel.addRoutes(new JobOutcome() {
        @Override
        void step() {
          from("direct:download")
              .setProperty(JobKeys.STEP, constant(JobStep.DOWNLOAD.toString()))
              .process(exchange -> {
                // Stops by itself, so attempts that are never used up fail the test instead of hanging it.
                if (attempts.incrementAndGet() > 10) {
                  throw new SourceDeadlineException(3);
                }
                exchange.setMessage(new DefaultMessage(exchange));
                throw new ConnectionClosedException("Premature end of Content-Length delimited message body");
              });
        }
      });
      camel.start();

      Exchange done = camel.createProducerTemplate().send("direct:download", e -> e.setProperty(JobKeys.JOB, JOB));

      assertThat(attempts).as("attempts of a job whose body breaks off every time").hasValue(3);
      assertThat(done.getProperty(JobKeys.FAILED_ATTEMPTS, Integer.class)).isEqualTo(3);
      Failure failure = done.getProperty(JobKeys.FAILURE, Failure.class);
      assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_UNREACHABLE);
      assertThat(failure.detail()).startsWith("ConnectionClosedException");
    }
  }

  /** The outcome handling of errors.camel.yaml in Java (no delays), around a step route of the test's. */
  private abstract static class JobOutcome extends RouteBuilder {
    @Override
    public void configure() {
      getCamelContext().getRegistry().bind("failureClassifier", new FailureClassifier(3));
      onException(Exception.class)
          .onExceptionOccurred(new FailedAttempts())
          .retryWhile(method("failureClassifier", "shouldRetry"))
          .redeliveryDelay(0)
          .handled(true)
          .setProperty(JobKeys.FAILURE, method("failureClassifier", "settle"));
      step();
    }

    abstract void step();
  }
}
