package com.mp3converter.worker.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.messages.OutputFormat;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JobMessagesTest {
  private static final String JOB = UUID.randomUUID().toString();
  private static final String USER = UUID.randomUUID().toString();
  private final JobMessages messages = new JobMessages();

  @Test
  void acceptsAJob() {
    ConversionRequested job = job(1, JOB, USER, "http://example.org/a.wav");

    assertThat(messages.accept(job)).isSameAs(job);
  }

  @Test
  void aNewerProducerWithMoreFieldsIsStillAJob() throws Exception {
    String json = "{\"v\":2,\"jobId\":\"" + JOB + "\",\"userId\":\"" + USER + "\",\"sourceUrl\":\"http://e.org/a\","
        + "\"priority\":\"high\"}";
    ConversionRequested job = Json.MESSAGES.readValue(json, ConversionRequested.class);

    assertThat(messages.accept(job).v()).isEqualTo(2);
  }

  @Test
  void refusesWhatItCannotWorkOn() {
    assertPoison(job(0, JOB, USER, "http://example.org/a.wav"));
    assertPoison(job(1, "../../etc", USER, "http://example.org/a.wav"));
    assertPoison(job(1, JOB, "1-1-1-1-1", "http://example.org/a.wav"));
    assertPoison(job(1, null, USER, "http://example.org/a.wav"));
    assertPoison(job(1, JOB, USER, " "));
    assertPoison(job(1, JOB, USER, null));
    assertPoison("just a string");
    assertPoison(null);
  }

  @Test
  void anUploadIsAJobOnlyWithItsOwnUploadKey() {
    ConversionRequested own = upload(null, ObjectKeys.upload(USER, JOB));
    assertThat(messages.accept(own)).isSameAs(own);
    assertPoison(upload(null, ObjectKeys.upload(UUID.randomUUID().toString(), JOB)));
    assertPoison(upload(null, ObjectKeys.output(USER, JOB, OutputFormat.MP3)));
    assertPoison(upload(null, "uploads/../users/" + USER + "/" + JOB + ".mp3"));
    assertPoison(upload("http://example.org/a.wav", ObjectKeys.upload(USER, JOB)));
  }

  private static ConversionRequested upload(String url, String key) {
    return new ConversionRequested(1, JOB, USER, "a@example.org", "A", url, "192k", Instant.EPOCH, key, "a.wav");
  }

  private void assertPoison(Object body) {
    assertThatThrownBy(() -> messages.accept(body)).isInstanceOf(PoisonMessageException.class);
  }

  private static ConversionRequested job(int v, String jobId, String userId, String url) {
    return new ConversionRequested(v, jobId, userId, "a@example.org", "A", url, "192k", Instant.EPOCH);
  }
}
