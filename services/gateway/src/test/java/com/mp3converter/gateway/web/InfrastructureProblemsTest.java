package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.problem.ProblemException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.AmqpConnectException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

class InfrastructureProblemsTest {

  private static int status(Throwable t) {
    ProblemException p = InfrastructureProblems.problemFor(t);
    return p == null ? -1 : p.problem().status();
  }

  @Test
  void outagesOfDependenciesAre503() {
    assertThat(status(new RuntimeException(new SQLTransientConnectionException("pool timeout")))).isEqualTo(503);
    assertThat(status(new SQLException("refused", "08001"))).isEqualTo(503);
    assertThat(status(new AmqpConnectException(new java.net.ConnectException("refused")))).isEqualTo(503);
    assertThat(status(SdkClientException.create("Unable to execute HTTP request"))).isEqualTo(503);
    assertThat(InfrastructureProblems.problemFor(SdkClientException.create("x")).headers()).containsKey("Retry-After");
  }

  @Test
  void aMissingObjectIs404ButAMissingBucketIsAnOutage() {
    assertThat(status(NoSuchKeyException.builder().statusCode(404).build())).isEqualTo(404);
    S3Exception noBucket = (S3Exception) S3Exception.builder().statusCode(404)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("NoSuchBucket").build()).build();
    assertThat(status(noBucket)).isEqualTo(503);
  }

  @Test
  void leavesEverythingElseToTheSharedMapping() {
    assertThat(InfrastructureProblems.problemFor(ProblemException.notFound("x"))).isNull();
    assertThat(InfrastructureProblems.problemFor(new SQLException("syntax", "42601"))).isNull();
    assertThat(InfrastructureProblems.problemFor(new IllegalStateException("bug"))).isNull();
    assertThat(InfrastructureProblems.problemFor(null)).isNull();
  }
}
