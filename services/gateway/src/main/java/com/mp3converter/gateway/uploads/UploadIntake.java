package com.mp3converter.gateway.uploads;

import static com.mp3converter.gateway.ExchangePropertyNames.JOB;
import static com.mp3converter.gateway.ExchangePropertyNames.UPLOAD;
import static com.mp3converter.gateway.ExchangePropertyNames.USER;

import com.mp3converter.gateway.conversions.ConversionIntake;
import com.mp3converter.gateway.web.ServletExchanges;
import com.mp3converter.gateway.web.UploadRequestFilter;
import com.mp3converter.shared.messages.Bitrate;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.ObjectKeys;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.token.AccessClaims;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Message;
import org.apache.camel.component.aws2.s3.AWS2S3Constants;
import org.apache.camel.component.aws2.s3.AWS2S3Operations;
import org.apache.tomcat.util.http.fileupload.FileItemIterator;
import org.apache.tomcat.util.http.fileupload.FileItemStream;
import org.apache.tomcat.util.http.fileupload.FileUpload;
import org.apache.tomcat.util.http.fileupload.UploadContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /conversions} as {@code multipart/form-data}: reads the body as a stream (Tomcat's streaming
 * multipart parser over the counted body from {@link UploadRequestFilter}), spools part {@code file} to a temp file
 * on the gateway's disk (digest, size and a look at its first bytes on the way, never the whole file in memory),
 * reads part {@code bitrate}, and gives the route the S3 requests that store it under
 * {@link ObjectKeys#upload}. Anything else in the body is a precise 4xx ({@link MultipartProblems}).
 */
public final class UploadIntake {
  private static final Logger LOG = LoggerFactory.getLogger(UploadIntake.class);
  /** At most {@code file}, {@code bitrate} and a little slack; more parts are refused by the parser. */
  static final int MAX_PARTS = 4;
  /** A part's headers (Content-Disposition with its file name, Content-Type) at most this many bytes. */
  static final int MAX_PART_HEADER_BYTES = 2048;
  /** A form field such as {@code bitrate} is a short word. */
  static final int MAX_FIELD_BYTES = 32;
  static final String FILE_PART = "file";
  static final String BITRATE_PART = "bitrate";

  private final Clock clock;
  private final int maxFilenameLength;
  private final Path spoolDirectory;

  public UploadIntake(Clock clock, int maxFilenameLength, Path spoolDirectory) {
    this.clock = clock;
    this.maxFilenameLength = maxFilenameLength;
    this.spoolDirectory = spoolDirectory;
  }

  /** Whether the request is an upload ({@link UploadRequestFilter} took its body). */
  public boolean isUpload(Exchange exchange) {
    return body(exchange) != null;
  }

  /** Takes the upload in: its parts checked, its file spooled to disk. The temp file is gone if this fails. */
  public Upload receive(Exchange exchange) {
    UploadBody body = body(exchange);
    if (body == null) {
      throw MultipartProblems.invalid("The body is not multipart/form-data.");
    }
    String jobId = UUID.randomUUID().toString();
    Path file = null;
    try {
      file = Files.createTempFile(spoolDirectory, "upload-", ".part");
      Spooled spooled = null;
      String bitrate = null;
      FileItemIterator items = parser().getItemIterator(context(body));
      int parts = 0;
      while (items.hasNext()) {
        FileItemStream item = items.next();
        parts++;
        String name = item.getFieldName();
        if (FILE_PART.equals(name) && !item.isFormField()) {
          if (spooled != null) {
            throw MultipartProblems.invalid("Send one part 'file'.");
          }
          String filename = filename(item.getName());
          try (InputStream in = item.openStream()) {
            spooled = spool(in, file, filename);
          }
        } else if (BITRATE_PART.equals(name) && item.isFormField()) {
          if (bitrate != null) {
            throw MultipartProblems.invalid("Send one part 'bitrate'.");
          }
          try (InputStream in = item.openStream()) {
            bitrate = field(in, BITRATE_PART);
          }
        } else if (FILE_PART.equals(name)) {
          throw MultipartProblems.invalidFilename("Part 'file' must carry a filename (Content-Disposition).");
        } else {
          throw MultipartProblems.unknownPart(name);
        }
      }
      if (parts == 0) {
        throw MultipartProblems.invalid("The body has no parts (or none behind the boundary it declares).");
      }
      if (spooled == null) {
        throw MultipartProblems.missingFile();
      }
      Bitrate chosen = ConversionIntake.checkBitrate(bitrate);
      return new Upload(jobId, file, spooled.filename(), spooled.bytes(), spooled.sha256(), chosen);
    } catch (IOException e) {
      delete(file);
      throw MultipartProblems.from(e, body.maxBytes());
    } catch (RuntimeException e) {
      delete(file);
      throw e;
    }
  }

  private record Spooled(String filename, long bytes, String sha256) {}

  private static Spooled spool(InputStream in, Path file, String filename) throws IOException {
    MessageDigest digest = sha256();
    byte[] buffer = new byte[64 * 1024];
    byte[] prefix = new byte[AudioSignatures.PREFIX_BYTES];
    int prefixLength = 0;
    long total = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int n; (n = in.read(buffer)) >= 0; ) {
        if (prefixLength < prefix.length) {
          int take = Math.min(n, prefix.length - prefixLength);
          System.arraycopy(buffer, 0, prefix, prefixLength, take);
          prefixLength += take;
          // Not audio: refused at once, before the rest of a large body is read.
          if (prefixLength == prefix.length && !AudioSignatures.looksLikeAudio(prefix, prefixLength)) {
            throw MultipartProblems.notAudio();
          }
        }
        digest.update(buffer, 0, n);
        out.write(buffer, 0, n);
        total += n;
      }
    }
    if (!AudioSignatures.looksLikeAudio(prefix, prefixLength)) {
      throw MultipartProblems.notAudio();
    }
    return new Spooled(filename, total, HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * The user's file name as the job keeps it: the last path segment only, control and format characters removed,
   * at most {@code maxFilenameLength} characters. It is shown in the status document and may name the download;
   * it never becomes part of an object key or a path.
   */
  String filename(String given) {
    if (given == null || given.isBlank()) {
      throw MultipartProblems.invalidFilename("Part 'file' must carry a filename (Content-Disposition).");
    }
    if (given.length() > maxFilenameLength) {
      throw MultipartProblems.invalidFilename("The filename is longer than " + maxFilenameLength + " characters.");
    }
    String base = given.substring(Math.max(given.lastIndexOf('/'), given.lastIndexOf('\\')) + 1);
    StringBuilder clean = new StringBuilder();
    base.codePoints()
        .filter(c -> !Character.isISOControl(c) && Character.getType(c) != Character.FORMAT)
        .forEach(clean::appendCodePoint);
    String name = clean.toString().strip();
    if (name.isEmpty() || name.equals(".") || name.equals("..")) {
      throw MultipartProblems.invalidFilename("The filename has no usable characters.");
    }
    return name;
  }

  private static String field(InputStream in, String name) throws IOException {
    byte[] value = in.readNBytes(MAX_FIELD_BYTES + 1);
    if (value.length > MAX_FIELD_BYTES) {
      throw ProblemException.badRequest("invalid-" + name, "Part '" + name + "' is too long.");
    }
    return new String(value, StandardCharsets.UTF_8).strip();
  }

  /** The job for the upload: its source the object the upload is stored as. */
  public ConversionRequested job(@ExchangeProperty(USER) AccessClaims user, @ExchangeProperty(UPLOAD) Upload upload) {
    // PostgreSQL keeps microseconds; the stored time and the published one must be the same instant.
    Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
    return new ConversionRequested(ConversionRequested.VERSION, upload.jobId(), user.userId(), user.email(),
        user.name(), null, upload.bitrate().label(), now, ObjectKeys.upload(user.userId(), upload.jobId()),
        upload.filename());
  }

  /** The S3 request (a put: no operation header) that stores the spooled file, streamed from disk with its length. */
  public void putRequest(@ExchangeProperty(JOB) ConversionRequested job, @ExchangeProperty(UPLOAD) Upload upload,
      Message message) {
    message.removeHeaders("*");
    message.setHeader(AWS2S3Constants.KEY, job.sourceObjectKey());
    message.setHeader(AWS2S3Constants.CONTENT_LENGTH, upload.bytes());
    message.setHeader(AWS2S3Constants.CONTENT_TYPE, "application/octet-stream");
    message.setBody(upload.file().toFile());
  }

  /** The S3 request that deletes the stored upload of a job that was not taken after all. */
  public void deleteRequest(@ExchangeProperty(JOB) ConversionRequested job, Message message) {
    message.removeHeaders("*");
    message.setHeader(AWS2S3Constants.S3_OPERATION, AWS2S3Operations.deleteObject);
    message.setHeader(AWS2S3Constants.KEY, job.sourceObjectKey());
    message.setBody(null);
  }

  /** Passes on the failure the route caught after it cleaned up behind it. */
  public void rethrow(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Exception failure) throws Exception {
    throw failure;
  }

  /** Removes the spooled file (the request is over: stored, refused or failed). */
  public void discard(@ExchangeProperty(UPLOAD) Upload upload) {
    if (upload != null) {
      delete(upload.file());
    }
  }

  private static void delete(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("Could not delete the spooled upload {}: {}", file, e.toString());
    }
  }

  private static UploadBody body(Exchange exchange) {
    return ServletExchanges.request(exchange)
        .map(request -> request.getAttribute(UploadRequestFilter.BODY))
        .filter(UploadBody.class::isInstance).map(UploadBody.class::cast).orElse(null);
  }

  private static FileUpload parser() {
    FileUpload parser = new FileUpload();
    parser.setFileCountMax(MAX_PARTS);
    parser.setPartHeaderSizeMax(MAX_PART_HEADER_BYTES);
    parser.setHeaderEncoding(StandardCharsets.UTF_8.name());
    return parser;
  }

  private static UploadContext context(UploadBody body) {
    return new UploadContext() {
      @Override
      public long contentLength() {
        return -1;
      }

      @Override
      public String getCharacterEncoding() {
        return body.characterEncoding();
      }

      @Override
      public String getContentType() {
        return body.contentType();
      }

      @Override
      public InputStream getInputStream() {
        return body;
      }
    };
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java has SHA-256", e);
    }
  }
}
