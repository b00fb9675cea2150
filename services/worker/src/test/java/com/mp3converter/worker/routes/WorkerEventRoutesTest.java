package com.mp3converter.worker.routes;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.ConversionRequested;
import com.mp3converter.worker.job.JobKeys;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.EndpointInject;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The worker-started route alone, cut at its edge: what it would hand to RabbitMQ goes to a mock endpoint
 * instead, so the test sees the message exactly as published — the event as JSON, persistent, and none of the
 * headers the job message or a download brought along.
 */
class WorkerEventRoutesTest extends WorkerStorageRouteTestSupport {
  @Autowired ProducerTemplate producer;

  @EndpointInject("mock:published")
  MockEndpoint published;

  @Test
  void theStartedEventIsPublishedAsPersistentJsonWithoutTheJobsHeaders() throws Exception {
    AdviceWith.adviceWith(camel, "worker-started",
        route -> route.weaveByToUri("spring-rabbitmq:*").replace().to("mock:published"));
    // The worker's routes are supervised: the advised route is added back stopped, and started here.
    camel.getRouteController().startRoute("worker-started");
    ConversionRequested job = JobBus.job("http://127.0.0.1:9/song.wav");
    Map<String, Object> headers = new HashMap<>(JobBus.LEAKY_HEADERS);
    headers.put("CamelHttpUri", "http://127.0.0.1:9/song.wav");
    published.expectedMessageCount(1);
    published.expectedHeaderReceived("CamelSpringRabbitmqDeliveryMode", "PERSISTENT");
    published.expectedHeaderReceived("CamelSpringRabbitmqContentType", "application/json");

    Exchange done = producer.send("direct:worker-started", exchange -> {
      exchange.setProperty(JobKeys.JOB, job);
      exchange.getMessage().setHeaders(headers);
      exchange.getMessage().setBody("the job message as it came");
    });

    assertThat(done.getException()).isNull();
    published.assertIsSatisfied();
    Exchange sent = published.getReceivedExchanges().get(0);
    assertThat(sent.getMessage().getHeaders()).doesNotContainKeys("Authorization", "x-user-email", "Cookie",
        "CamelHttpUri");
    JsonNode event = Json.MESSAGES.readTree(sent.getMessage().getBody(byte[].class));
    assertThat(event.path("jobId").asText()).isEqualTo(job.jobId());
    assertThat(event.path("userId").asText()).isEqualTo(job.userId());
  }
}
