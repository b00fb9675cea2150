package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
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
    assertThatThrownBy(() -> credential.check("Bearer wrong"))
        .isInstanceOfSatisfying(ProblemException.class, p -> {
          assertThat(p.problem().status()).isEqualTo(401);
          assertThat(p.headers()).containsKey("WWW-Authenticate");
        });
    credential.check("Bearer s3cret-token");
  }

  @Test
  void anEmptyCredentialIsAConfigurationError() {
    assertThatThrownBy(() -> new InternalCredential(" ")).isInstanceOf(IllegalArgumentException.class);
  }
}
