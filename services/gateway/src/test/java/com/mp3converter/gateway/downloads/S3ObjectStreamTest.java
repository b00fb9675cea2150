package com.mp3converter.gateway.downloads;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

class S3ObjectStreamTest {
  private final AtomicInteger aborts = new AtomicInteger();
  private final Counter served = new SimpleMeterRegistry().counter("served");

  private S3ObjectStream object(int size) {
    return new S3ObjectStream(new ResponseInputStream<>(GetObjectResponse.builder().build(),
        AbortableInputStream.create(new ByteArrayInputStream(new byte[size]), aborts::incrementAndGet)), served);
  }

  @Test
  void aClientThatHangsUpEarlyAbortsTheS3Request() throws Exception {
    S3ObjectStream stream = object(100_000);
    assertThat(stream.readNBytes(8192)).hasSize(8192);
    stream.close();
    assertThat(served.count()).isEqualTo(8192);
    stream.close();
    assertThat(aborts).hasValue(1);
  }

  @Test
  void aCompleteCopyClosesNormallySoTheConnectionIsReused() throws Exception {
    S3ObjectStream stream = object(100_000);
    assertThat(stream.readAllBytes()).hasSize(100_000);
    stream.close();
    assertThat(served.count()).isEqualTo(100_000);
    assertThat(aborts).hasValue(0);
  }

  @Test
  void anEmptyObjectEndsAtOnce() throws Exception {
    S3ObjectStream stream = object(0);
    assertThat(stream.read()).isEqualTo(-1);
    stream.close();
    assertThat(aborts).hasValue(0);
  }
}
