package com.mp3converter.shared.secret;

import static org.assertj.core.api.Assertions.assertThat;

import com.mp3converter.shared.secret.SecretVerdict.Outcome;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The decision alone: no Spring, no files. */
class SecretStrengthTest {
  private static final String EXAMPLE_TOKEN = "replace-with-64-random-hex-characters-and-then-some";
  private static final String EXAMPLE_KEY = "cmVwbGFjZS13aXRoLTMyLXJhbmRvbS1ieXRlcy0tLS0=";
  /** RFC 8410, section 10.3. */
  private static final String RFC_8410_KEY = """
      -----BEGIN PRIVATE KEY-----
      MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
      -----END PRIVATE KEY-----
      """;

  private final SecretStrength strength = new SecretStrength(Set.of(EXAMPLE_TOKEN, EXAMPLE_KEY,
      SecretStrength.signingKeyIdentity(RFC_8410_KEY).orElseThrow()));

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private static String base64(int bytes) {
    return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex(bytes)));
  }

  private static String pem(byte[] pkcs8) {
    return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
        + "\n-----END PRIVATE KEY-----\n";
  }

  @ParameterizedTest
  @EnumSource(value = SecretKind.class, names = "SIGNING_KEY_FILE", mode = EnumSource.Mode.EXCLUDE)
  void anExampleIsRefusedAsAnyKindOfSecretEvenWithSpaceAround(SecretKind kind) {
    assertThat(strength.judge(kind, EXAMPLE_TOKEN).outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);
    assertThat(strength.judge(kind, " " + EXAMPLE_KEY + "\n").outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);
  }

  @Test
  void tokensNeed32Characters() {
    assertThat(strength.judge(SecretKind.BEARER_TOKEN, hex(16)).accepted()).isTrue();
    assertThat(strength.judge(SecretKind.BEARER_TOKEN, "x".repeat(31)).outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
    SecretVerdict unset = strength.judge(SecretKind.BEARER_TOKEN, "  ");
    assertThat(unset.outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
    assertThat(unset.reason()).isEqualTo("is not set");
    assertThat(strength.judge(SecretKind.BEARER_TOKEN, null).outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
  }

  @Test
  void s3SecretsNeed32CharactersAndApiKeys20() {
    assertThat(strength.judge(SecretKind.ACCESS_SECRET, "A".repeat(40)).accepted()).isTrue();
    assertThat(strength.judge(SecretKind.ACCESS_SECRET, "mp3local-secret").outcome())
        .isEqualTo(Outcome.REFUSED_TOO_SHORT);
    assertThat(strength.judge(SecretKind.API_KEY, "re_" + hex(16)).accepted()).isTrue();
    assertThat(strength.judge(SecretKind.API_KEY, "re_short").outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
    assertThat(strength.judge(SecretKind.API_KEY, "").outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
  }

  @Test
  void hmacKeysAreBase64OfAtLeast32BytesOrUnsetForAnEphemeralOne() {
    assertThat(strength.judge(SecretKind.HMAC_KEY, base64(32)).accepted()).isTrue();
    assertThat(strength.judge(SecretKind.HMAC_KEY, base64(48)).accepted()).isTrue();
    String urlSafe = Base64.getUrlEncoder().encodeToString(new byte[] {(byte) 0xfb, (byte) 0xff, 1, 2, 3, 4, 5, 6,
        7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30});
    assertThat(strength.judge(SecretKind.HMAC_KEY, urlSafe).accepted()).isTrue();
    SecretVerdict short31 = strength.judge(SecretKind.HMAC_KEY, base64(31));
    assertThat(short31.outcome()).isEqualTo(Outcome.REFUSED_TOO_SHORT);
    assertThat(short31.reason()).contains("32 bytes");
    assertThat(strength.judge(SecretKind.HMAC_KEY, "not base64!").outcome()).isEqualTo(Outcome.REFUSED_MALFORMED);
    assertThat(strength.judge(SecretKind.HMAC_KEY, "").accepted()).isTrue();
  }

  @Test
  void anHmacKeyIsAnExampleByItsBytesHoweverItIsWritten() {
    byte[] example = Base64.getDecoder().decode(EXAMPLE_KEY);
    String urlSafeNoPadding = Base64.getUrlEncoder().withoutPadding().encodeToString(example);
    assertThat(urlSafeNoPadding).isNotEqualTo(EXAMPLE_KEY);

    assertThat(strength.judge(SecretKind.HMAC_KEY, urlSafeNoPadding).outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);
  }

  @Test
  void serverPasswordsAreOnlyRefusedWhenTheyAreExamples() {
    assertThat(strength.judge(SecretKind.SERVER_PASSWORD, "").accepted()).isTrue();
    assertThat(strength.judge(SecretKind.SERVER_PASSWORD, "guest").accepted()).isTrue();
    assertThat(strength.judge(SecretKind.SERVER_PASSWORD, EXAMPLE_TOKEN).outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);
  }

  @Test
  void signingKeysMustBeOneEd25519KeyThatIsNotAnExample() throws Exception {
    String fresh = pem(KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate().getEncoded());
    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, fresh).accepted()).isTrue();

    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, RFC_8410_KEY).outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);
    // The same key written differently (other line breaks, no trailing newline) is still the example.
    String rewrapped = RFC_8410_KEY.replace("\n", "\r\n").strip();
    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, rewrapped).outcome()).isEqualTo(Outcome.REFUSED_EXAMPLE);

    String rsa = pem(KeyPairGenerator.getInstance("RSA").generateKeyPair().getPrivate().getEncoded());
    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, rsa).outcome()).isEqualTo(Outcome.REFUSED_MALFORMED);
    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, fresh + fresh).outcome())
        .isEqualTo(Outcome.REFUSED_MALFORMED);
    assertThat(strength.judge(SecretKind.SIGNING_KEY_FILE, "").outcome()).isEqualTo(Outcome.REFUSED_MALFORMED);
  }

  @Test
  void noReasonRepeatsTheValue() {
    for (SecretKind kind : SecretKind.values()) {
      for (String value : new String[] {EXAMPLE_TOKEN, "short-value", "not base64!", base64(8)}) {
        assertThat(strength.judge(kind, value).reason()).doesNotContain(value);
      }
    }
  }

  @Test
  void theCommittedExamplesAreOnTheClasspath() {
    assertThat(ExampleSecrets.committed())
        .contains("re_replace_with_your_resend_api_key")
        .noneMatch(v -> v.startsWith("#"));
  }
}
