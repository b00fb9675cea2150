package com.mp3converter.worker.media;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.DownloadFilenames;
import com.mp3converter.shared.messages.OutputFormat;
import java.io.File;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

class OutputStoreTest {
  private final OutputStore store = new OutputStore(OutputFormat.MP3);
  private final ConversionRequested job = new ConversionRequested(ConversionRequested.VERSION,
      UUID.randomUUID().toString(), UUID.randomUUID().toString(), "a@example.org", "A", "https://example.org/a.wav",
      "192k", Instant.now());

  @Test
  void thePutCarriesTheFormatAndTheDurationSoARedeliveredJobCanAnnounceItWithoutConverting() {
    Message put = message();
    put.setHeader("x-from-the-job-message", "dropped");
    // What a lookup leaves behind: an operation that would turn the put into a HEAD.
    put.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.headObject);

    store.putRequest(job, new OutputFile(Path.of("/tmp/output"), 1234, 7.3, "song.mp3"), put);

    assertThat(put.getHeader(AWS2S3Constants.KEY)).isEqualTo("users/" + job.userId() + "/" + job.jobId() + ".mp3");
    assertThat(put.getHeader(AWS2S3Constants.CONTENT_TYPE)).isEqualTo("audio/mpeg");
    assertThat(put.getHeader(AWS2S3Constants.CONTENT_LENGTH)).isEqualTo(1234L);
    assertThat(put.getHeader(AWS2S3Constants.METADATA))
        .isEqualTo(Map.of("duration-seconds", "7.300", "filename", "song.mp3"));
    assertThat(put.getBody()).isEqualTo(new File("/tmp/output"));
    assertThat(put.getHeaders()).doesNotContainKeys("x-from-the-job-message", AWS2S3Constants.S3_OPERATION);

    Message head = message();
    head.setBody("left over");
    store.lookupRequest(job, head);
    assertThat(head.getHeader(AWS2S3Constants.S3_OPERATION)).isEqualTo(AWS2S3Operations.headObject);
    assertThat(head.getHeader(AWS2S3Constants.KEY)).isEqualTo(put.getHeader(AWS2S3Constants.KEY));
    assertThat(head.getBody()).isNull();

    OutputFile stored = store.stored(HeadObjectResponse.builder().contentLength(1234L)
        .metadata(Map.of("duration-seconds", "7.300", "filename", "song.mp3")).build(), job);
    assertThat(stored.filename()).isEqualTo("song.mp3");
    assertThat(stored.bytes()).isEqualTo(1234);
    assertThat(stored.durationSeconds()).isEqualTo(7.3);
    assertThat(stored.path()).isNull();
  }

  @Test
  void aStoredObjectWithoutASafeFilenameIsNamedAfterItsUrl() {
    String byUrl = DownloadFilenames.ofUrl(job.sourceUrl(), job.jobId(), OutputFormat.MP3);
    assertThat(store.stored(HeadObjectResponse.builder().contentLength(1L).build(), job).filename()).isEqualTo(byUrl);
    assertThat(store.stored(HeadObjectResponse.builder().contentLength(1L)
        .metadata(Map.of("filename", "../x\r\n.mp3")).build(), job).filename()).isEqualTo(byUrl);
  }

  @Test
  void noAnswerMeansNotStored() {
    assertThat(store.stored(null, job)).isNull();
  }

  @Test
  void aMissingOrDamagedDurationIsUnknownNotAnError() {
    assertThat(OutputStore.duration(null)).isZero();
    assertThat(OutputStore.duration("soon")).isZero();
    assertThat(OutputStore.duration("NaN")).isZero();
    assertThat(OutputStore.duration("-3")).isZero();
    assertThat(OutputStore.duration(" 182.4 ")).isEqualTo(182.4);
  }

  private static Message message() {
    return new DefaultMessage(new DefaultCamelContext());
  }
}
