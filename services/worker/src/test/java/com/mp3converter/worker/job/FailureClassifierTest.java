package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.worker.source.SourceDeadlineException;
import com.mp3converter.worker.source.SourceStatusException;
import com.mp3converter.worker.source.SourceTooLargeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {
  private final FailureClassifier classifier = new FailureClassifier(3);

  @Test
  void aConversionExceptionSaysItAllEvenWhenWrapped() {
    Failure failure = classifier.classify(
        new RuntimeCamelException(new ConversionException(FailureReason.NOT_AUDIO, "ffprobe: no")), "probe");

    assertThat(failure.reason()).isEqualTo(FailureReason.NOT_AUDIO);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.detail()).contains("ffprobe: no");
  }

  @Test
  void sourceStatusesDecideTheirOwnRetry() {
    assertReason(new SourceStatusException(404), "download", FailureReason.SOURCE_NOT_FOUND, false);
    assertReason(new SourceStatusException(410), "download", FailureReason.SOURCE_NOT_FOUND, false);
    assertReason(new SourceStatusException(403), "download", FailureReason.SOURCE_UNREACHABLE, false);
    assertReason(new SourceStatusException(503), "download", FailureReason.SOURCE_UNREACHABLE, true);
  }

  @Test
  void guardExceptionsFromInsideTheHttpClient() {
    assertReason(new IOException("wrapped", new BlockedUrlException("10.0.0.1")), "download", FailureReason.BLOCKED_URL, false);
    assertReason(new RuntimeCamelException(new SourceTooLargeException(10)), "download", FailureReason.SOURCE_TOO_LARGE, false);
    assertReason(new SourceDeadlineException(600), "download", FailureReason.SOURCE_UNREACHABLE, false);
  }

  @Test
  void networkTroubleWhileDownloadingIsTheSourcesAndPassing() {
    assertReason(new ConnectException("refused"), "download", FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new SocketTimeoutException("read timed out"), "download", FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new UnknownHostException("nx.example"), "download", FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new NoHttpResponseException("gone"), "download", FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new RuntimeCamelException(new SSLHandshakeException("bad cert")), "download",
        FailureReason.SOURCE_UNREACHABLE, false);
  }

  @Test
  void anythingWhileUploadingIsTheStorages() {
    assertReason(new RuntimeException("S3 said 503"), "upload", FailureReason.STORAGE_UNAVAILABLE, true);
    assertReason(new ConnectException("refused"), "upload", FailureReason.STORAGE_UNAVAILABLE, true);
  }

  @Test
  void whatIsUnexplainedIsOursAndPassing() {
    assertReason(new IllegalStateException("bug"), "convert", FailureReason.INTERNAL, true);
    assertReason(new ConnectException("broker"), "publish", FailureReason.INTERNAL, true);
    assertReason(null, null, FailureReason.INTERNAL, true);
  }

  @Test
  void aPermanentFailureIsNotRetriedWhateverItsReason() {
    assertReason(new PermanentFailureException(FailureReason.SOURCE_UNREACHABLE, "6 redirects"), "download",
        FailureReason.SOURCE_UNREACHABLE, false);
    assertReason(new ConversionException(FailureReason.SOURCE_UNREACHABLE, "x"), "download",
        FailureReason.SOURCE_UNREACHABLE, true);
  }

  @Test
  void aConversionTimeoutIsNotRetried() {
    assertReason(new ConversionException(FailureReason.TIMEOUT, "killed"), "convert", FailureReason.TIMEOUT, false);
    assertReason(new ConversionException(FailureReason.STORAGE_UNAVAILABLE, "x"), "upload",
        FailureReason.STORAGE_UNAVAILABLE, true);
  }

  @Test
  void aCauseCycleDoesNotHangTheClassifier() {
    IOException a = new IOException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertReason(b, "convert", FailureReason.INTERNAL, true);
  }

  @Test
  void retriesPassingFailuresUntilTheAttemptsAreUsed() {
    CamelContext context = new DefaultCamelContext();
    Exchange exchange = new DefaultExchange(context);
    exchange.setProperty(JobKeys.STEP, "download");
    exchange.setException(new SourceStatusException(502));

    // Camel counts the failed attempt before asking: 1 after the first failure.
    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);
    assertThat(classifier.shouldRetry(exchange)).isTrue();
    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 2);
    assertThat(classifier.shouldRetry(exchange)).isTrue();
    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 3);
    assertThat(classifier.shouldRetry(exchange)).isFalse();

    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);
    exchange.setException(new SourceStatusException(404));
    assertThat(classifier.shouldRetry(exchange)).isFalse();
  }

  @Test
  void storageStepsAreNotRetriedAgainAsAWholeJob() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.getIn().setHeader(Exchange.REDELIVERY_COUNTER, 1);
    exchange.setException(new RuntimeException("connection refused"));
    for (String step : List.of("upload", "storage")) {
      exchange.setProperty(JobKeys.STEP, step);
      assertThat(classifier.classify(exchange.getException(), step).reason())
          .isEqualTo(FailureReason.STORAGE_UNAVAILABLE);
      // upload.camel.yaml has retried the request in place already.
      assertThat(classifier.shouldRetry(exchange)).as(step).isFalse();
    }
    // An event the broker did not confirm is retried like any passing failure.
    exchange.setProperty(JobKeys.STEP, "publish");
    assertThat(classifier.shouldRetry(exchange)).isTrue();
  }

  @Test
  void onlyFailuresThatAreNotTheUsersInputGoToTheDeadLetterQueue() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    assertThat(classifier.shouldDeadLetter(exchange)).isFalse();
    assertThat(classifier.deadLetterReason(exchange)).isEqualTo("not_a_job");

    for (FailureReason reason : FailureReason.values()) {
      exchange.setProperty(FailureClassifier.FAILURE, new Failure(reason, false, "detail"));
      boolean usersInput = List.of(FailureReason.SOURCE_NOT_FOUND, FailureReason.SOURCE_TOO_LARGE,
          FailureReason.NOT_AUDIO, FailureReason.TOO_LONG, FailureReason.BLOCKED_URL).contains(reason);
      assertThat(classifier.shouldDeadLetter(exchange)).as(reason.code()).isEqualTo(!usersInput);
      assertThat(classifier.deadLetterReason(exchange)).isEqualTo(reason.code());
    }
  }

  @Test
  void settlingRecordsTheFailureForTheEvent() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setProperty(JobKeys.STEP, "upload");
    exchange.setProperty(Exchange.EXCEPTION_CAUGHT, new RuntimeException("connection refused"));

    classifier.settle(exchange);

    assertThat(exchange.getProperty(FailureClassifier.FAILURE, Failure.class).reason())
        .isEqualTo(FailureReason.STORAGE_UNAVAILABLE);
  }

  private void assertReason(Throwable error, String step, FailureReason reason, boolean retryable) {
    Failure failure = classifier.classify(error, step);
    assertThat(failure.reason()).isEqualTo(reason);
    assertThat(failure.retryable()).isEqualTo(retryable);
  }
}
