package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.gateway.conversions.ConversionIntake.ConversionRequest;
import com.mp3converter.shared.problem.ProblemException;
import com.mp3converter.shared.problem.Problems;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class RequestBodiesTest {
  private final RequestBodies bodies = new RequestBodies(16);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int statusOf(Throwable t) {
    return Problems.from(t).problem().status();
  }

  @Test
  void readsBodiesUpToTheLimitAndRefusesLongerOnesWith413() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.getIn().setBody(utf8("{\"url\":\"x\"}"));
    assertThat(bodies.read(exchange)).hasSize(11);

    exchange.getIn().setBody(new byte[17]);
    assertThatThrownBy(() -> bodies.read(exchange))
        .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.problem().status()).isEqualTo(413));
  }

  @Test
  void aMissingBodyIsEmpty() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    assertThat(bodies.read(exchange)).isEmpty();
  }

  @Test
  void parsesStrictly() throws Exception {
    RequestBodies large = new RequestBodies(16 * 1024);
    assertThat(large.parse(utf8("{\"url\":\"https://a.example/x.wav\",\"bitrate\":\"v0\"}"), ConversionRequest.class))
        .isEqualTo(new ConversionRequest("https://a.example/x.wav", "v0"));

    // Each of these is the client's mistake: a 400 whose detail says what is wrong, never a 500.
    assertThatThrownBy(() -> large.parse(utf8("{\"url\":"), ConversionRequest.class))
        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(400));
    assertThatThrownBy(() -> large.parse(utf8("{\"url\":\"https://a.example/\",\"extra\":1}"), ConversionRequest.class))
        .satisfies(e -> assertThat(Problems.from(e).problem().detail()).contains("extra"));
    assertThatThrownBy(() -> large.parse(utf8("{\"url\":5}"), ConversionRequest.class))
        .satisfies(e -> assertThat(Problems.from(e).problem().detail()).contains("url"));
    assertThatThrownBy(() -> large.parse(utf8("{\"url\":\"a\"} {}"), ConversionRequest.class))
        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(400));
    assertThatThrownBy(() -> large.parse(utf8("null"), ConversionRequest.class))
        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(400));
    assertThatThrownBy(() -> large.parse(new byte[0], ConversionRequest.class))
        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(400));
    assertThatThrownBy(() -> large.parse(utf8("[]"), ConversionRequest.class))
        .satisfies(e -> assertThat(statusOf(e)).isEqualTo(400));
  }
}
