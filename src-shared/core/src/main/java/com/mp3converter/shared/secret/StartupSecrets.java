package com.mp3converter.shared.secret;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Refuses to let a service start with a weak secret: before any bean exists (so before a database, the broker,
 * S3 or a port is touched), every {@link SecretSettings secret setting} the service's environment defines is
 * judged by {@link SecretStrength}, and any refusal stops the start with {@link InsecureSecretsException}, one line
 * per setting naming it and what is wrong, never its value. Run in every service (SecretsAutoConfiguration),
 * after the test framework's dynamic properties are in the environment.
 */
public final class StartupSecrets implements BeanFactoryPostProcessor, EnvironmentAware, Ordered {

  private final SecretStrength strength;
  private Environment environment;

  public StartupSecrets(SecretStrength strength) {
    this.strength = strength;
  }

  @Override
  public void setEnvironment(Environment environment) {
    this.environment = environment;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
    List<String> refusals = refusals(environment, strength);
    if (!refusals.isEmpty()) {
      throw new InsecureSecretsException(refusals);
    }
  }

  /** One line per refused setting of this environment; empty when every secret it defines is accepted. */
  public static List<String> refusals(Environment environment, SecretStrength strength) {
    List<String> refusals = new ArrayList<>();
    for (SecretSettings.Setting setting : SecretSettings.ALL) {
      if (!environment.containsProperty(setting.property())) {
        continue;
      }
      String value = environment.getProperty(setting.property(), "");
      SecretVerdict verdict = setting.kind() == SecretKind.SIGNING_KEY_FILE
          ? signingKeyFile(strength, value)
          : strength.judge(setting.kind(), value);
      if (!verdict.accepted()) {
        refusals.add(setting.environmentName() + " (" + setting.property() + ") " + verdict.reason()
            + "; make one with: " + setting.kind().howToMakeOne());
      }
    }
    return refusals;
  }

  private static SecretVerdict signingKeyFile(SecretStrength strength, String file) {
    if (file.isBlank()) {
      return SecretVerdict.ACCEPTED;
    }
    String pem;
    try {
      pem = Files.readString(Path.of(file.strip()), StandardCharsets.US_ASCII);
    } catch (IOException | RuntimeException e) {
      return new SecretVerdict(SecretVerdict.Outcome.REFUSED_MALFORMED, "names a file that cannot be read");
    }
    return strength.judge(SecretKind.SIGNING_KEY_FILE, pem);
  }
}
