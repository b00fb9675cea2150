package com.mp3converter.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.token.AccessClaims;
import com.mp3converter.shared.token.AccessTokenIssuer;
import com.mp3converter.shared.token.AccessTokenVerifier;
import com.mp3converter.shared.token.Ed25519Jwk;
import com.mp3converter.shared.token.InvalidTokenException;
import com.mp3converter.shared.token.RemoteJwks;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void aPemKeyRoundTripsIntoTokensTheJwksVerifies() throws Exception {
    KeyPair generated = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path file = write("signing-key.pem", pem("PRIVATE KEY", generated.getPrivate().getEncoded()));

    SigningKeys.SigningKey loaded = SigningKeys.load(file);

    assertThat(loaded.publicKey().getEncoded()).isEqualTo(generated.getPublic().getEncoded());
    assertThat(loaded.kid()).isEqualTo(Ed25519Jwk.thumbprint(generated.getPublic()));

    AccessTokenIssuer issuer = issuer(loaded, Map.of(loaded.kid(), loaded.publicKey()));
    String token = issuer.issue(new AccessClaims("user-1", "ann@example.com", "Ann", true));
    AccessTokenVerifier verifier = verifierOver(issuer);

    assertThat(verifier.verify(token)).isEqualTo(new AccessClaims("user-1", "ann@example.com", "Ann", true));
  }

  @Test
  void aTokenFromAnotherKeyIsRefused() throws Exception {
    SigningKeys.SigningKey ours = SigningKeys.ephemeral();
    SigningKeys.SigningKey theirs = SigningKeys.ephemeral();
    AccessTokenIssuer forged = issuer(theirs, Map.of(ours.kid(), ours.publicKey(), theirs.kid(), theirs.publicKey()));
    // A forger who reuses our kid: the signature must still not verify.
    AccessTokenIssuer ourIssuer = issuer(ours, Map.of(ours.kid(), ours.publicKey()));
    AccessTokenIssuer impostor = new AccessTokenIssuer(theirs.privateKey(), ours.kid(),
        Map.of(ours.kid(), ours.publicKey()), "mp3-converter-auth", "mp3-converter", Duration.ofMinutes(15),
        Clock.systemUTC());

    AccessTokenVerifier verifier = verifierOver(ourIssuer);

    assertThatThrownBy(() -> verifier.verify(impostor.issue(new AccessClaims("u", "e@example.com", "n", true))))
        .isInstanceOf(InvalidTokenException.class);
    assertThatThrownBy(() -> verifier.verify(forged.issue(new AccessClaims("u", "e@example.com", "n", true))))
        .isInstanceOf(InvalidTokenException.class);
  }

  @Test
  void derivesThePublicKeyOfTheRfc8410Example() throws Exception {
    // RFC 8410, section 10.3 (private key) and 10.1 (its public key); openssl pkey -pubout agrees.
    Path file = write("rfc8410.pem", """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----
        """);

    SigningKeys.SigningKey key = SigningKeys.load(file);

    assertThat(Base64.getEncoder().encodeToString(key.publicKey().getEncoded()))
        .isEqualTo("MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=");
  }

  @Test
  void refusesFilesThatDoNotHoldOneUnencryptedEd25519Key() throws Exception {
    KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();

    assertThatThrownBy(() -> SigningKeys.load(write("rsa.pem", pem("PRIVATE KEY", rsa.getPrivate().getEncoded()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not hold an Ed25519 private key");
    assertThatThrownBy(() -> SigningKeys.load(write("enc.pem", pem("ENCRYPTED PRIVATE KEY", new byte[] {1, 2}))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 0");
    assertThatThrownBy(() -> SigningKeys.load(write("two.pem",
            pem("PRIVATE KEY", ed.getPrivate().getEncoded()) + pem("PRIVATE KEY", ed.getPrivate().getEncoded()))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("found 2");
    assertThatThrownBy(() -> SigningKeys.load(write("empty.pem", "")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void previousPublicKeysAreReadFromOnePemFile() throws Exception {
    KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair b = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path file = write("previous.pem",
        pem("PUBLIC KEY", a.getPublic().getEncoded()) + "\n" + pem("PUBLIC KEY", b.getPublic().getEncoded()));

    assertThat(SigningKeys.loadPublicKeys(file)).containsExactly(a.getPublic(), b.getPublic());
    assertThat(SigningKeys.loadPublicKeys(write("none.pem", ""))).isEmpty();
  }

  @Test
  void aPrivateKeyIsNotAcceptedAsAPreviousPublicKey() throws Exception {
    KeyPair a = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path file = write("mixed.pem",
        pem("PUBLIC KEY", a.getPublic().getEncoded()) + pem("PRIVATE KEY", a.getPrivate().getEncoded()));

    assertThatThrownBy(() -> SigningKeys.loadPublicKeys(file))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only hold PUBLIC KEY");
  }

  @Test
  void tokensSignedByAPreviousKeyStillVerifyDuringARotation() throws Exception {
    SigningKeys.SigningKey old = SigningKeys.ephemeral();
    SigningKeys.SigningKey current = SigningKeys.ephemeral();
    String oldToken = issuer(old, Map.of(old.kid(), old.publicKey()))
        .issue(new AccessClaims("user-1", "ann@example.com", "Ann", true));
    Map<String, PublicKey> published = new LinkedHashMap<>();
    published.put(current.kid(), current.publicKey());
    published.put(old.kid(), old.publicKey());

    AccessTokenVerifier verifier = verifierOver(issuer(current, published));

    assertThat(verifier.verify(oldToken).userId()).isEqualTo("user-1");
  }

  private static AccessTokenIssuer issuer(SigningKeys.SigningKey key, Map<String, PublicKey> published) {
    return new AccessTokenIssuer(key.privateKey(), key.kid(), published, "mp3-converter-auth", "mp3-converter",
        Duration.ofMinutes(15), Clock.systemUTC());
  }

  /** A verifier that knows only what the JWKS document publishes, as the gateway does. */
  private static AccessTokenVerifier verifierOver(AccessTokenIssuer issuer) throws Exception {
    Map<String, PublicKey> keys = RemoteJwks.parse(Json.MESSAGES.writeValueAsString(issuer.jwks()));
    return new AccessTokenVerifier(kid -> Optional.ofNullable(keys.get(kid)), "mp3-converter-auth",
        "mp3-converter", Duration.ofSeconds(30), Clock.systemUTC());
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
  }

  private static String pem(String label, byte[] der) {
    String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
  }
}
