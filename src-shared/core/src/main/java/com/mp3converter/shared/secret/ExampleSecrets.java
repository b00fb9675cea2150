package com.mp3converter.shared.secret;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The example values committed in the repository for secret settings ({@value #RESOURCE}): the placeholders of
 * k8s/overlays/&#42;/secrets/&#42;.example.env, k8s/generate-secrets.sh and the docs, and every Ed25519 private key
 * committed anywhere (as the base64 of its PKCS#8 encoding, {@link SecretStrength#signingKeyIdentity}). Nobody keeps
 * the list by hand: the k8s module's ExampleSecretsTest collects the values from those files and fails, printing
 * the lines to write, whenever the resource and the repository disagree.
 */
public final class ExampleSecrets {
  public static final String RESOURCE = "mp3-example-secrets.txt";

  private ExampleSecrets() {}

  /** The values of {@value #RESOURCE}: one a line, blank lines and lines starting with # left out. */
  public static Set<String> committed() {
    try (InputStream in = ExampleSecrets.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  static Set<String> parse(String text) {
    Set<String> values = new LinkedHashSet<>();
    for (String line : text.split("\n")) {
      String value = line.strip();
      if (!value.isEmpty() && !value.startsWith("#")) {
        values.add(value);
      }
    }
    return Set.copyOf(values);
  }
}
