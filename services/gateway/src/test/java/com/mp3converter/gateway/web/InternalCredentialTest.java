package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

class InternalCredentialTest {
  private final InternalCredential credential = new InternalCredential("s3cret-token");

  @Test
  void acceptsOnlyTheExactBearerToken() {
    assertThat(credential.matches("Bearer s3cret-token")).isTrue();
    assertThat(credential.matches("bearer s3cret-token")).isTrue();
    assertThat(credential.matches("Bearer s3cret-token2")).isFalse();
    assertThat(credential.matches("Bearer s3cret-toke")).isFalse();
    assertThat(credential.matches("Basic s3cret-token")).isFalse();
    assertThat(credential.matches("s3cret-token")).isFalse();
    assertThat(credential.matches("Bearer ")).isFalse();
    assertThat(credential.matches(null)).isFalse();
  }

  @Test
  void refusesWith401AndAChallenge() {
    Exchange exchange = new DefaultExchange(new DefaultCamelContext());
    exchange.getIn().setHeader("Authorization", "Bearer wrong");
    assertThatThrownBy(() -> credential.check(exchange))
        .isInstanceOfSatisfying(ProblemException.class, p -> {
          assertThat(p.problem().status()).isEqualTo(401);
          assertThat(p.headers()).containsKey("WWW-Authenticate");
        });
    exchange.getIn().setHeader("Authorization", "Bearer s3cret-token");
    credential.check(exchange);
  }

  @Test
  void anEmptyCredentialIsAConfigurationError() {
    assertThatThrownBy(() -> new InternalCredential(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
