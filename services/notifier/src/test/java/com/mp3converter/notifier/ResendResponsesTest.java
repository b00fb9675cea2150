package com.mp3converter.notifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

class ResendResponsesTest {
  private final ResendResponses responses = new ResendResponses(Duration.ofSeconds(60));

  @Test
  void acceptedEmailGivesItsId() {
    assertThat(responses.interpret(200, "{\"id\":\"49a3999c-0ce1-4ea6-ab68-afcd6dc2e794\"}"))
        .isEqualTo(new ResendOutcome("49a3999c-0ce1-4ea6-ab68-afcd6dc2e794", false));
  }

  @Test
  void sameKeyWithAnotherBodyMeansAlreadySent() {
    ResendOutcome outcome = responses.interpret(409,
        "{\"statusCode\":409,\"name\":\"invalid_idempotent_request\",\"message\":\"Same idempotency key\"}");

    assertThat(outcome.duplicate()).isTrue();
    assertThat(outcome.label()).isEqualTo("duplicate");
  }

  @Test
  void concurrentRequestWithTheSameKeyIsRetried() {
    assertThatThrownBy(() -> responses.interpret(409, "{\"name\":\"concurrent_idempotent_requests\"}"))
        .isInstanceOf(ResendRetryableException.class);
  }

  @Test
  void tooManyRequestsWaitsForRetryAfter() {
    assertThatThrownBy(() -> responses.interpret(429, "{\"name\":\"rate_limit_exceeded\"}"))
        .isInstanceOf(ResendRetryableException.class);
    assertThat(responses.redeliveryDelayMillis(429, "2")).isEqualTo(2000L);
    assertThat(responses.redeliveryDelayMillis(429, null)).isNull();
  }

  @Test
  void serverErrorsAreRetriedWithTheBackoff() {
    assertThatThrownBy(() -> responses.interpret(503, "upstream down"))
        .isInstanceOfSatisfying(ResendRetryableException.class, e -> assertThat(e.status()).isEqualTo(503));
    // Only a 429's retry-after replaces the backoff.
    assertThat(responses.redeliveryDelayMillis(503, "2")).isNull();
  }

  @Test
  void validationErrorsAreFinal() {
    assertThatThrownBy(() -> responses.interpret(422,
        "{\"statusCode\":422,\"name\":\"validation_error\",\"message\":\"Invalid `to` field.\"}"))
        .isInstanceOf(ResendRejectedException.class)
        .hasMessageContaining("422 validation_error: Invalid `to` field.");
  }

  @Test
  void credentialProblemsAreNeitherRetriedNorDropped() {
    assertThatThrownBy(() -> responses.interpret(401, "{\"name\":\"missing_api_key\"}"))
        .isInstanceOf(ResendConfigurationException.class);
    assertThatThrownBy(() -> responses.interpret(403, "{\"name\":\"invalid_api_key\"}"))
        .isInstanceOf(ResendConfigurationException.class);
  }

  @Test
  void retryAfterIsReadAsSecondsOrHttpDateAndCapped() {
    assertThat(responses.retryAfter("1")).isEqualTo(Duration.ofSeconds(1));
    assertThat(responses.retryAfter("3600")).isEqualTo(Duration.ofSeconds(60));
    assertThat(responses.retryAfter("-5")).isEqualTo(Duration.ZERO);
    assertThat(responses.retryAfter("soon")).isNull();
    assertThat(responses.retryAfter(null)).isNull();
    String inTenSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(10));
    assertThat(responses.retryAfter(inTenSeconds)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(10));
  }
}
