package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionException;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.worker.source.SourceDeadlineException;
import com.mp3converter.worker.source.SourceDownloadException;
import com.mp3converter.worker.source.SourceStatusException;
import com.mp3converter.worker.source.SourceTooLargeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.apache.camel.RuntimeCamelException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.junit.jupiter.api.Test;

/** Each decision is data in, data out: no Camel context, the bound parameters are passed as they are. */
class FailureClassifierTest {
  private static final ConversionRequested JOB = new ConversionRequested(1, "00000000-0000-0000-0000-000000000001",
      "00000000-0000-0000-0000-000000000002", "a@example.org", "A", "http://example.org/a.wav", "192k", Instant.EPOCH);

  private final FailureClassifier classifier = new FailureClassifier(3);

  @Test
  void aConversionExceptionSaysItAllEvenWhenWrapped() {
    Failure failure = classifier.classify(
        new RuntimeCamelException(new ConversionException(FailureReason.NOT_AUDIO, "ffprobe: no")), JobStep.PROBE);

    assertThat(failure.reason()).isEqualTo(FailureReason.NOT_AUDIO);
    assertThat(failure.retryable()).isFalse();
    assertThat(failure.detail()).contains("ffprobe: no");
  }

  @Test
  void aReasonIsAsRetryableAsItsRowInTheTable() {
    for (FailureReason reason : FailureReason.values()) {
      assertReason(new ConversionException(reason, "x"), JobStep.CONVERT, reason, reason.retried());
    }
    assertReason(new ConversionException(FailureReason.SOURCE_UNREACHABLE, "x"), JobStep.DOWNLOAD,
        FailureReason.SOURCE_UNREACHABLE, true);
  }

  /** ffmpeg already read the source when its download broke off: the download's failure, not an internal one. */
  @Test
  void aDownloadThatFailedWhileALaterStepWaitedIsTheDownloadsFailure() {
    assertReason(new SourceDownloadException(new IOException("Connection reset")), JobStep.CONVERT,
        FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new SourceDownloadException(new SourceTooLargeException(10)), JobStep.PROBE,
        FailureReason.SOURCE_TOO_LARGE, false);
    assertThat(classifier.classify(new IOException("Broken pipe"), JobStep.CONVERT).reason())
        .isEqualTo(FailureReason.INTERNAL);
  }

  @Test
  void sourceStatusesDecideTheirOwnRetry() {
    assertReason(new SourceStatusException(404), JobStep.DOWNLOAD, FailureReason.SOURCE_NOT_FOUND, false);
    assertReason(new SourceStatusException(410), JobStep.DOWNLOAD, FailureReason.SOURCE_NOT_FOUND, false);
    assertReason(new SourceStatusException(403), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, false);
    assertReason(new SourceStatusException(503), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, true);
  }

  @Test
  void guardExceptionsFromInsideTheHttpClient() {
    assertReason(new IOException("wrapped", new BlockedUrlException("10.0.0.1")), JobStep.DOWNLOAD,
        FailureReason.BLOCKED_URL, false);
    assertReason(new RuntimeCamelException(new SourceTooLargeException(10)), JobStep.DOWNLOAD,
        FailureReason.SOURCE_TOO_LARGE, false);
    assertReason(new SourceDeadlineException(600), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, false);
  }

  @Test
  void networkTroubleWhileDownloadingIsTheSourcesAndPassing() {
    assertReason(new ConnectException("refused"), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new SocketTimeoutException("read timed out"), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE,
        true);
    assertReason(new UnknownHostException("nx.example"), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new NoHttpResponseException("gone"), JobStep.DOWNLOAD, FailureReason.SOURCE_UNREACHABLE, true);
    assertReason(new RuntimeCamelException(new SSLHandshakeException("bad cert")), JobStep.DOWNLOAD,
        FailureReason.SOURCE_UNREACHABLE, false);
  }

  @Test
  void anythingWhileTalkingToTheObjectStoreIsTheStoragesAndWasRetriedInPlaceAlready() {
    for (JobStep step : new JobStep[] {JobStep.UPLOAD, JobStep.LOOKUP}) {
      assertReason(new RuntimeException("S3 said 503"), step, FailureReason.STORAGE_UNAVAILABLE, false);
      assertReason(new ConnectException("refused"), step, FailureReason.STORAGE_UNAVAILABLE, false);
      assertReason(new ConversionException(FailureReason.STORAGE_UNAVAILABLE, "9 times"), step,
          FailureReason.STORAGE_UNAVAILABLE, false);
    }
  }

  @Test
  void whatIsUnexplainedIsOursAndPassing() {
    assertReason(new IllegalStateException("bug"), JobStep.CONVERT, FailureReason.INTERNAL, true);
    assertReason(new ConnectException("broker"), JobStep.PUBLISH, FailureReason.INTERNAL, true);
    assertReason(new IOException("disk full"), JobStep.CONVERT, FailureReason.INTERNAL, true);
    assertReason(null, null, FailureReason.INTERNAL, true);
  }

  @Test
  void aPermanentFailureIsNotRetriedWhateverItsReason() {
    assertReason(new PermanentFailureException(FailureReason.SOURCE_UNREACHABLE, "6 redirects"), JobStep.DOWNLOAD,
        FailureReason.SOURCE_UNREACHABLE, false);
  }

  @Test
  void aConversionTimeoutIsNotRetried() {
    assertReason(new ConversionException(FailureReason.TIMEOUT, "killed"), JobStep.CONVERT, FailureReason.TIMEOUT,
        false);
  }

  @Test
  void aCauseCycleDoesNotHangTheClassifier() {
    IOException a = new IOException("a");
    RuntimeException b = new RuntimeException("b", a);
    a.initCause(b);

    assertReason(b, JobStep.CONVERT, FailureReason.INTERNAL, true);
  }

  @Test
  void retriesPassingFailuresUntilTheAttemptsAreUsed() {
    // FailedAttempts counts the failed attempt before the classifier is asked: 1 after the first failure.
    SourceStatusException badGateway = new SourceStatusException(502);
    assertThat(classifier.shouldRetry(badGateway, JobStep.DOWNLOAD, 1, JOB)).isTrue();
    assertThat(classifier.shouldRetry(badGateway, JobStep.DOWNLOAD, 2, null)).isTrue();
    assertThat(classifier.shouldRetry(badGateway, JobStep.DOWNLOAD, 3, JOB)).isFalse();
    assertThat(classifier.shouldRetry(badGateway, JobStep.DOWNLOAD, 7, JOB)).isFalse();

    assertThat(classifier.shouldRetry(new SourceStatusException(404), JobStep.DOWNLOAD, 1, JOB)).isFalse();
  }

  @Test
  void aFailureNobodyCountedIsNotRetried() {
    // Were it taken for the first, a count that went missing would start again at every failure.
    assertThat(classifier.shouldRetry(new SourceStatusException(502), JobStep.DOWNLOAD, null, JOB)).isFalse();
  }

  @Test
  void storageStepsAreNotRetriedAgainAsAWholeJob() {
    RuntimeException refused = new RuntimeException("connection refused");
    for (JobStep step : new JobStep[] {JobStep.UPLOAD, JobStep.LOOKUP}) {
      // upload.camel.yaml has retried the request in place already.
      assertThat(classifier.shouldRetry(refused, step, 1, JOB)).as(step.name()).isFalse();
    }
    // An event the broker did not confirm is retried like any passing failure.
    assertThat(classifier.shouldRetry(refused, JobStep.PUBLISH, 1, JOB)).isTrue();
  }

  @Test
  void onlyFailuresThatNeedAnOperatorGoToTheDeadLetterQueue() {
    assertThat(classifier.shouldDeadLetter(null)).isFalse();
    assertThat(classifier.deadLetterReason(null)).isEqualTo("not_a_job");

    for (FailureReason reason : FailureReason.values()) {
      Failure failure = new Failure(reason, false, "detail");
      assertThat(classifier.shouldDeadLetter(failure)).as(reason.code()).isEqualTo(reason.needsOperator());
      assertThat(classifier.deadLetterReason(failure)).isEqualTo(reason.code());
    }
    assertThat(classifier.shouldDeadLetter(new Failure(FailureReason.NOT_AUDIO, false, "x"))).isFalse();
    assertThat(classifier.shouldDeadLetter(new Failure(FailureReason.CONVERSION_FAILED, false, "x"))).isTrue();
  }

  @Test
  void settlingAnswersTheFailureForTheEvent() {
    Failure failure = classifier.settle(new RuntimeException("connection refused"), JobStep.UPLOAD, JOB);

    assertThat(failure.reason()).isEqualTo(FailureReason.STORAGE_UNAVAILABLE);
    assertThat(failure.detail()).contains("connection refused");
  }

  private void assertReason(Throwable error, JobStep step, FailureReason reason, boolean retryable) {
    Failure failure = classifier.classify(error, step);
    assertThat(failure.reason()).isEqualTo(reason);
    assertThat(failure.retryable()).isEqualTo(retryable);
  }
}
