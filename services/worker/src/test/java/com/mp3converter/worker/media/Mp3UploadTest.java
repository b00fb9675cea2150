package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.job.JobKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class Mp3UploadTest {
  private final Mp3Upload upload = new Mp3Upload();
  private final ConversionRequested job = new ConversionRequested(ConversionRequested.VERSION,
      UUID.randomUUID().toString(), UUID.randomUUID().toString(), "a@example.org", "A", "https://example.org/a.wav",
      "192k", Instant.now());

  @Test
  void thePutCarriesTheDurationSoARedeliveredJobCanAnnounceItWithoutConverting() {
    Exchange put = exchange();
    put.setProperty(JobKeys.MP3, new Mp3File(Path.of("/tmp/out.mp3"), 1234, 7.3));
    put.getIn().setHeader("x-from-the-job-message", "dropped");

    upload.prepare(put);

    assertThat(put.getIn().getHeader(AWS2S3Constants.KEY))
        .isEqualTo("users/" + job.userId() + "/" + job.jobId() + ".mp3");
    assertThat(put.getIn().getHeader(AWS2S3Constants.METADATA)).isEqualTo(Map.of("duration-seconds", "7.300"));
    assertThat(put.getIn().getHeaders()).doesNotContainKey("x-from-the-job-message");

    Exchange head = exchange();
    upload.storedQuery(head);
    assertThat(head.getIn().getHeader(AWS2S3Constants.S3_OPERATION)).isEqualTo(AWS2S3Operations.headObject);
    assertThat(head.getIn().getHeader(AWS2S3Constants.KEY)).isEqualTo(put.getIn().getHeader(AWS2S3Constants.KEY));

    head.getIn().setBody(HeadObjectResponse.builder().contentLength(1234L)
        .metadata(Map.of("duration-seconds", "7.300")).build());
    upload.stored(head);
    Mp3File stored = head.getProperty(JobKeys.MP3, Mp3File.class);
    assertThat(stored.bytes()).isEqualTo(1234);
    assertThat(stored.durationSeconds()).isEqualTo(7.3);
  }

  @Test
  void noObjectMeansNotStored() {
    Exchange head = exchange();
    upload.storedQuery(head);
    // What the HEAD leaves behind when the key is missing (the route continues past NoSuchKeyException).
    upload.stored(head);
    assertThat(head.getProperty(JobKeys.MP3)).isNull();
    assertThat(head.getIn().getHeaders()).doesNotContainKey(AWS2S3Constants.S3_OPERATION);
  }

  @Test
  void aMissingOrDamagedDurationIsUnknownNotAnError() {
    assertThat(Mp3Upload.duration(null)).isZero();
    assertThat(Mp3Upload.duration("soon")).isZero();
    assertThat(Mp3Upload.duration("NaN")).isZero();
    assertThat(Mp3Upload.duration("-3")).isZero();
    assertThat(Mp3Upload.duration(" 182.4 ")).isEqualTo(182.4);
  }

  private Exchange exchange() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.setProperty(JobKeys.JOB, job);
    return exchange;
  }
}
