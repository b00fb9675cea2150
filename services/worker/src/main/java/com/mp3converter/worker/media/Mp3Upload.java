package com.mp3converter.worker.media;

import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.worker.job.JobHeaders;
import com.mp3converter.worker.job.JobKeys;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;

/**
 * The S3 put of the finished MP3 (routes/worker/upload.camel.yaml): the body is the file itself, which
 * camel-aws2-s3 streams from disk with its known length; the key is derived from the job's ids only, so a
 * redelivered job overwrites its own object and nothing a user typed becomes part of a key.
 */
public final class Mp3Upload {
  public static final String CONTENT_TYPE = "audio/mpeg";

  public void prepare(Exchange exchange) {
    ConversionRequested job = exchange.getProperty(JobKeys.JOB, ConversionRequested.class);
    Mp3File mp3 = exchange.getProperty(JobKeys.MP3, Mp3File.class);
    Message message = exchange.getIn();
    JobHeaders.clear(message);
    message.setBody(mp3.path().toFile());
    message.setHeader(AWS2S3Constants.KEY, ObjectKeys.mp3(job.userId(), job.jobId()));
    message.setHeader(AWS2S3Constants.CONTENT_LENGTH, mp3.bytes());
    message.setHeader(AWS2S3Constants.CONTENT_TYPE, CONTENT_TYPE);
  }
}
