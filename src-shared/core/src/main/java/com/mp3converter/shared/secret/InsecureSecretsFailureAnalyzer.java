package com.mp3converter.shared.secret;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a start refused for weak secrets as Spring Boot's short failure report instead of a stack trace. */
public final class InsecureSecretsFailureAnalyzer extends AbstractFailureAnalyzer<InsecureSecretsException> {

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InsecureSecretsException cause) {
    return new FailureAnalysis(
        "Refusing to start with weak secrets:\n" + String.join("\n", cause.refusals()),
        "Give each named setting a secret of its own (k8s/generate-secrets.sh writes a complete set; "
            + "docs/deploy.md, \"Secrets\"). The local launcher generates its own.",
        cause);
  }
}
