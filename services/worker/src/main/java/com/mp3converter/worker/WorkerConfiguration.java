package com.mp3converter.worker;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.shared.messages.OutputFormat;
import com.mp3converter.shared.messages.Topology;
import com.mp3converter.shared.url.GuardedDnsResolver;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.mp3converter.worker.job.FailedAttempts;
import com.mp3converter.worker.job.FailureClassifier;
import com.mp3converter.worker.job.JobCancellations;
import com.mp3converter.worker.job.JobEvents;
import com.mp3converter.worker.job.JobMessages;
import com.mp3converter.worker.job.JobProgress;
import com.mp3converter.worker.job.JobStepTimer;
import com.mp3converter.worker.job.JobWorkspace;
import com.mp3converter.worker.job.WorkDirectory;
import com.mp3converter.worker.media.EarlyStart;
import com.mp3converter.worker.media.FfmpegCommand;
import com.mp3converter.worker.media.MediaProbe;
import com.mp3converter.worker.media.OutputStore;
import com.mp3converter.worker.media.StorageRetry;
import com.mp3converter.worker.media.ToolRunner;
import com.mp3converter.worker.source.Redirects;
import com.mp3converter.worker.source.ResponseHeadLimits;
import com.mp3converter.worker.source.SourceDownload;
import com.mp3converter.worker.source.SourceHttpClientConfigurer;
import com.mp3converter.worker.source.SourceResponseGuard;
import com.mp3converter.worker.source.UploadedSource;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jackson.JacksonDataFormat;
import org.apache.camel.component.springrabbit.SpringRabbitMQComponent;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.BindingBuilder;
import org.springframework.amqp.core.Declarables;
import org.springframework.amqp.core.Queue;
import org.springframework.amqp.core.TopicExchange;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The beans the routes refer to by name and the source HTTP client's parts (the AMQP ones are src-shared's). What
 * the routes and these beans pass each other is named in {@link com.mp3converter.worker.job.JobKeys}.
 */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerConfiguration.class);

  /** What this worker converts every job to. */
  private static final OutputFormat FORMAT = OutputFormat.DEFAULT;

  /**
   * Graceful shutdown. On SIGTERM Camel stops the job consumer and waits for the jobs in hand up to
   * camel.main.shutdown-timeout (CAMEL_MAIN_SHUTDOWNTIMEOUT). Stopping the consumer stops its listener
   * container, which waits only its own shutdownTimeout (5 s by default) before it closes the channels, and
   * a closed channel hands the unfinished job back to the broker: a second worker would then convert it again
   * while this one finishes it. So the container waits exactly as long as Camel does; a job still running after
   * that is left unacknowledged and redone elsewhere.
   */
  @Bean
  CamelContextConfiguration shutdownGrace() {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext camel) {
        long graceMillis = camel.getShutdownStrategy().getTimeUnit().toMillis(camel.getShutdownStrategy().getTimeout());
        camel.getComponent("spring-rabbitmq", SpringRabbitMQComponent.class).setShutdownTimeout(graceMillis);
        LOG.info("On shutdown, jobs in hand get up to {} s to finish", graceMillis / 1000);
      }

      @Override
      public void afterApplicationStart(CamelContext camel) {
        // Nothing to do once started.
      }
    };
  }

  @Bean
  WorkerMetrics workerMetrics(MeterRegistry registry) {
    return new WorkerMetrics(registry);
  }

  /** Consumers on worker.conversions and encoder slots (consume.camel.yaml, convert.camel.yaml). */
  @Bean
  WorkerCapacity workerCapacity(WorkerProperties properties, WorkerMetrics metrics) {
    WorkerCapacity capacity = new WorkerCapacity(
        properties.worker().effectiveConcurrency(), properties.worker().jobsAhead());
    metrics.watch(capacity);
    return capacity;
  }

  // --- source download -------------------------------------------------------------------------------------

  @Bean
  SourceUrlPolicy sourceUrlPolicy(WorkerProperties properties) {
    return new SourceUrlPolicy(
        properties.allowPrivateSources(), properties.source().allowedPorts(), SourceUrlPolicy.DEFAULT_MAX_LENGTH);
  }

  /** Where host names are really looked up; the guarded resolver checks every answer it gives. */
  @Bean
  DnsResolver systemDnsResolver() {
    return SystemDefaultDnsResolver.INSTANCE;
  }

  /**
   * The connection manager of the HTTP component (worker.yaml): the only way from a host name to a socket is
   * the guarded resolver, so the connection goes to the addresses that were checked; every connection's response
   * heads are bounded (ResponseHeadLimits).
   */
  @Bean
  PoolingHttpClientConnectionManager sourceConnectionManager(
      WorkerProperties properties, SourceUrlPolicy policy, DnsResolver systemDnsResolver) {
    WorkerProperties.Source source = properties.source();
    int connections = Math.max(4, 2 * properties.worker().effectiveConcurrency());
    return PoolingHttpClientConnectionManagerBuilder.create()
        .setDnsResolver(new GuardedDnsResolver(policy, systemDnsResolver))
        .setConnectionFactory(
            new ResponseHeadLimits(source.maxHeaderBytes(), source.maxHeaderLines()).connectionFactory())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.of(source.connectTimeout()))
            .setSocketTimeout(Timeout.of(source.readTimeout()))
            .build())
        .setDefaultSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.of(source.readTimeout())).build())
        .setMaxConnTotal(connections)
        .setMaxConnPerRoute(connections)
        .build();
  }

  /** The byte cap and the deadline of every source request; closed with the context (its alarm thread). */
  @Bean
  SourceResponseGuard sourceResponseGuard(WorkerProperties properties) {
    return new SourceResponseGuard(properties.maxSourceBytes(), properties.source().totalTimeout());
  }

  @Bean
  SourceHttpClientConfigurer sourceHttpClientConfigurer(WorkerProperties properties, SourceResponseGuard guard) {
    return new SourceHttpClientConfigurer(properties.source().userAgent(), guard);
  }

  /**
   * Each source's body is copied into its job folder on a thread of Camel's "SourceArrival" pool (one per job in
   * hand, which the prefetch bounds; idle threads end after a minute; stopped with the context). Not a bean: an
   * Executor bean would make Spring Boot's own task executor back off.
   */
  @Bean
  SourceDownload sourceDownload(WorkerProperties properties, SourceUrlPolicy policy, WorkerMetrics metrics,
      CamelContext camel, WorkerCapacity capacity) {
    return new SourceDownload(policy, new Redirects(policy, properties.source().maxRedirects()),
        properties.maxSourceBytes(), metrics,
        camel.getExecutorServiceManager().newCachedThreadPool(SourceDownload.class, "SourceArrival"),
        properties.worker().encodeWhileDownloading(), capacity);
  }

  @Bean
  UploadedSource uploadedSource(WorkerProperties properties, WorkerMetrics metrics) {
    return new UploadedSource(properties.maxSourceBytes(), metrics);
  }

  // --- media ---------------------------------------------------------------------------------------------

  @Bean
  MediaProbe mediaProbe(WorkerProperties properties) {
    WorkerProperties.Ffmpeg ffmpeg = properties.ffmpeg();
    return new MediaProbe(
        ffmpeg.effectiveFfprobePath(), ffmpeg.probeTimeout(), properties.maxDurationSeconds());
  }

  @Bean
  FfmpegCommand ffmpegCommand(WorkerProperties properties, WorkerMetrics metrics) {
    WorkerProperties.Ffmpeg ffmpeg = properties.ffmpeg();
    return new FfmpegCommand(ffmpeg.path(), ffmpeg.timeout(), properties.maxDurationSeconds(), FORMAT, metrics,
        properties.id3Pictures());
  }

  /** The checks of whole sources run on Camel's "SourceCheck" pool (one per job whose ffmpeg started early). */
  @Bean
  EarlyStart earlyStart(ToolRunner toolRunner, MediaProbe mediaProbe, FfmpegCommand ffmpegCommand,
      CamelContext camel) {
    return new EarlyStart(toolRunner, mediaProbe, ffmpegCommand,
        camel.getExecutorServiceManager().newCachedThreadPool(EarlyStart.class, "SourceCheck"));
  }

  @Bean
  StorageRetry storageRetry(
      @Value("${mp3.worker.storage-retry.max-retries}") int maxRetries,
      @Value("${mp3.worker.storage-retry.delay-ms}") long delayMs,
      @Value("${mp3.worker.storage-retry.max-delay-ms}") long maxDelayMs) {
    return new StorageRetry(maxRetries, delayMs, maxDelayMs);
  }

  /** The exec endpoints' binding and command executor ({@code binding=#toolRunner&commandExecutor=#toolRunner}). */
  @Bean
  ToolRunner toolRunner(WorkerProperties properties) {
    return new ToolRunner(properties.ffmpeg().killGrace());
  }

  @Bean
  OutputStore outputStore() {
    return new OutputStore(FORMAT);
  }

  // --- job -------------------------------------------------------------------------------------------------

  /** Claimed when the context starts, before any job is taken: removes what a worker that died left there. */
  @Bean
  WorkDirectory workDirectory(WorkerProperties properties) throws IOException {
    return WorkDirectory.open(properties.worker().workDir());
  }

  @Bean
  JobWorkspace jobWorkspace(WorkDirectory workDirectory) {
    return new JobWorkspace(workDirectory.root());
  }

  @Bean
  JobMessages jobMessages() {
    return new JobMessages();
  }

  @Bean
  JobEvents jobEvents(WorkerMetrics metrics) {
    return new JobEvents(Clock.systemUTC(), FORMAT, metrics);
  }

  /**
   * The step timers, added to Camel's event notifiers before the context starts (a bean of the type alone was
   * not picked up here: seen with camel-spring-boot 4.17).
   */
  @Bean
  CamelContextConfiguration jobStepTimer(WorkerMetrics metrics) {
    return new CamelContextConfiguration() {
      @Override
      public void beforeApplicationStart(CamelContext camel) {
        camel.getManagementStrategy().addEventNotifier(new JobStepTimer(metrics, Clock.systemUTC()));
      }

      @Override
      public void afterApplicationStart(CamelContext camel) {
        // Nothing to do once started.
      }
    };
  }

  @Bean
  JobCancellations jobCancellations(ToolRunner toolRunner) {
    return new JobCancellations(toolRunner);
  }

  /**
   * This instance's cancel queue (JobCancellations): its own, so every instance hears every conversion.cancel;
   * non-durable and auto-delete, so it goes with the instance. Declared with the rest of the topology.
   */
  @Bean
  Declarables workerCancelQueue(JobCancellations cancellations) {
    Queue queue = new Queue(cancellations.queue(), false, false, true);
    return new Declarables(queue,
        BindingBuilder.bind(queue).to(new TopicExchange(Topology.EXCHANGE, true, false)).with(Topology.CANCEL));
  }

  @Bean
  JobProgress jobProgress(ProducerTemplate producerTemplate) {
    return new JobProgress(producerTemplate, Clock.systemUTC());
  }

  @Bean
  FailureClassifier failureClassifier(WorkerProperties properties) {
    return new FailureClassifier(properties.worker().retry().maxAttempts());
  }

  @Bean
  FailedAttempts failedAttempts() {
    return new FailedAttempts();
  }

  // JSON in and out with the system's lenient message mapper (a copy: data formats may configure theirs, and
  // the shared instance serves every service in the same JVM).

  @Bean
  JacksonDataFormat jobJson() {
    return new JacksonDataFormat(Json.MESSAGES.copy(), ConversionRequested.class);
  }

  @Bean
  JacksonDataFormat eventJson() {
    JacksonDataFormat format = new JacksonDataFormat(Json.MESSAGES.copy(), Object.class);
    // The AMQP content type is set by the publishing routes; no HTTP-style header should travel as an AMQP one.
    format.setContentTypeHeader(false);
    return format;
  }
}
