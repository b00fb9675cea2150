package com.mp3converter.auth;

import com.mp3converter.shared.secret.Pem;
import com.mp3converter.shared.token.Ed25519Jwk;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;

/** Loads auth's Ed25519 keys from PEM files: the signing key (PKCS#8) and previously published public keys. */
public final class SigningKeys {
  /** The key that signs, its public half and the kid under which the JWKS publishes it. */
  public record SigningKey(PrivateKey privateKey, PublicKey publicKey) {
    public String kid() {
      return Ed25519Jwk.thumbprint(publicKey);
    }
  }

  private SigningKeys() {}

  /**
   * Reads an unencrypted PKCS#8 Ed25519 private key ({@code openssl genpkey -algorithm ed25519}) and derives
   * its public key, so the file is the only thing an operator has to provide.
   */
  public static SigningKey load(Path pemFile) throws IOException {
    List<byte[]> blocks = Pem.blocks(Files.readString(pemFile, StandardCharsets.US_ASCII), "PRIVATE KEY");
    if (blocks.size() != 1) {
      throw new IllegalArgumentException(
          pemFile + " must hold exactly one unencrypted PKCS#8 'PRIVATE KEY' block, found " + blocks.size());
    }
    PrivateKey privateKey;
    try {
      privateKey = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(blocks.get(0)));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(pemFile + " does not hold an Ed25519 private key", e);
    }
    byte[] seed = ((EdECPrivateKey) privateKey).getBytes()
        .orElseThrow(() -> new IllegalArgumentException(pemFile + ": the private key bytes are not available"));
    byte[] rawPublic = new Ed25519PrivateKeyParameters(seed, 0).generatePublicKey().getEncoded();
    PublicKey publicKey = Ed25519Jwk.publicKey(Base64.getUrlEncoder().withoutPadding().encodeToString(rawPublic));
    return new SigningKey(privateKey, publicKey);
  }

  /** A fresh key for local runs; tokens signed with it become unverifiable when the process ends. */
  public static SigningKey ephemeral() {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      return new SigningKey(pair.getPrivate(), pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Ed25519 is not available in this JVM", e);
    }
  }

  /** Reads every {@code PUBLIC KEY} (X.509 SubjectPublicKeyInfo) block of a PEM file; other blocks are refused. */
  public static List<PublicKey> loadPublicKeys(Path pemFile) throws IOException {
    String text = Files.readString(pemFile, StandardCharsets.US_ASCII);
    List<byte[]> blocks = Pem.blocks(text, "PUBLIC KEY");
    if (Pem.blocks(text, null).size() != blocks.size()) {
      throw new IllegalArgumentException(pemFile + " may only hold PUBLIC KEY blocks");
    }
    List<PublicKey> keys = new ArrayList<>();
    for (byte[] der : blocks) {
      try {
        keys.add(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
      } catch (GeneralSecurityException e) {
        throw new IllegalArgumentException(pemFile + " holds a public key that is not Ed25519", e);
      }
    }
    return keys;
  }
}
