package com.mp3converter.shared.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobMdcTest {
  /** A job message as the routes carry it: the email is in it, and must never reach the MDC. */
  public record Job(String jobId, String userId, String email) {}

  /** An event that names no job, like a caller's claims. */
  public record Caller(String userId, String email) {}

  private final List<Map<String, String>> seen = new CopyOnWriteArrayList<>();
  private CamelContext camel;
  private ProducerTemplate producer;

  @BeforeEach
  void startRoutes() throws Exception {
    camel = new DefaultCamelContext();
    camel.getCamelContextExtension().addInterceptStrategy(new JobMdc());
    camel.addRoutes(new RouteBuilder() {
      @Override
      public void configure() {
        from("direct:intake").routeId("intake")
            .process(e -> record())
            .setProperty("job", body())
            .setBody(constant("replaced"))
            .process(e -> record())
            .to("direct:next")
            .process(e -> record());
        from("direct:next").routeId("next")
            .process(e -> record())
            .to("seda:elsewhere");
        from("seda:elsewhere").routeId("elsewhere")
            .process(e -> record());
        from("direct:caller").routeId("caller")
            .setProperty("user", body())
            .process(e -> record());
      }
    });
    camel.start();
    producer = camel.createProducerTemplate();
  }

  @AfterEach
  void stop() {
    camel.stop();
    MDC.clear();
  }

  private void record() {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    seen.add(mdc == null ? Map.of() : mdc);
  }

  @Test
  void everyStepOfEveryRouteNamesItsRouteAndTheJobOnItsThreadAndNoOtherwhere() {
    MDC.put("routeId", "outside");
    producer.sendBody("direct:intake", new Job("job-1", "user-1", "someone@example.com"));
    org.awaitility.Awaitility.await().until(() -> seen.size() == 5);

    assertThat(seen).allSatisfy(mdc -> {
      assertThat(mdc).containsEntry("jobId", "job-1").containsEntry("userId", "user-1");
      assertThat(mdc.values()).doesNotContain("someone@example.com");
    });
    assertThat(seen).extracting(mdc -> mdc.get("routeId"))
        .containsExactlyInAnyOrder("intake", "intake", "next", "intake", "elsewhere");
    // The caller's thread has what it had before, and nothing of the job.
    assertThat(MDC.get("routeId")).isEqualTo("outside");
    assertThat(MDC.get("jobId")).isNull();
    assertThat(MDC.get("userId")).isNull();
  }

  @Test
  void aCallerWithoutAJobNamesTheUserOnly() {
    producer.sendBody("direct:caller", new Caller("user-2", "other@example.com"));
    assertThat(seen).singleElement().satisfies(mdc -> {
      assertThat(mdc).containsEntry("userId", "user-2").containsEntry("routeId", "caller").doesNotContainKey("jobId");
      assertThat(mdc.values()).doesNotContain("other@example.com");
    });
  }

  @Test
  void aMessageAsItArrivedNamesItsJobFromTheFirstStep() {
    producer.sendBody("direct:caller",
        "{\"v\":1,\"jobId\":\"job-4\",\"userId\":\"user-4\",\"email\":\"x@example.com\"}"
            .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    assertThat(seen).singleElement().satisfies(mdc -> {
      assertThat(mdc).containsEntry("jobId", "job-4").containsEntry("userId", "user-4");
      assertThat(mdc.values()).doesNotContain("x@example.com");
    });
  }

  @Test
  void aMapBodyWithIdsCountsLikeARecord() {
    producer.sendBody("direct:caller", Map.of("jobId", "job-3", "userId", "user-3"));
    assertThat(seen).singleElement().satisfies(mdc ->
        assertThat(mdc).containsEntry("jobId", "job-3").containsEntry("userId", "user-3"));
  }
}
