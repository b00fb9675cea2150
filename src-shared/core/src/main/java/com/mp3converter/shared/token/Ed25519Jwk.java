package com.mp3converter.shared.token;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Ed25519 public keys as JWKs (RFC 8037 "OKP"), with RFC 7638 thumbprints as key ids. Written by hand because
 * the shape is four fields and the JDK already parses the key.
 */
public final class Ed25519Jwk {
  /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519; the raw 32-byte key follows it. */
  private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private Ed25519Jwk() {}

  public static String x(PublicKey key) {
    byte[] der = key.getEncoded();
    if (der.length != X509_PREFIX.length + 32
        || !Arrays.equals(Arrays.copyOf(der, X509_PREFIX.length), X509_PREFIX)) {
      throw new IllegalArgumentException("not an Ed25519 public key");
    }
    return B64.encodeToString(Arrays.copyOfRange(der, X509_PREFIX.length, der.length));
  }

  public static PublicKey publicKey(String x) {
    byte[] raw = Base64.getUrlDecoder().decode(x);
    if (raw.length != 32) {
      throw new IllegalArgumentException("an Ed25519 key has 32 bytes");
    }
    byte[] der = Arrays.copyOf(X509_PREFIX, X509_PREFIX.length + 32);
    System.arraycopy(raw, 0, der, X509_PREFIX.length, 32);
    try {
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("invalid Ed25519 key", e);
    }
  }

  /** RFC 7638 thumbprint: SHA-256 over the required members in lexicographic order. */
  public static String thumbprint(PublicKey key) {
    String canonical = "{\"crv\":\"Ed25519\",\"kty\":\"OKP\",\"x\":\"" + x(key) + "\"}";
    try {
      return B64.encodeToString(
          MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> toJwk(String kid, PublicKey key) {
    Map<String, String> jwk = new LinkedHashMap<>();
    jwk.put("kty", "OKP");
    jwk.put("crv", "Ed25519");
    jwk.put("x", x(key));
    jwk.put("kid", kid);
    jwk.put("use", "sig");
    jwk.put("alg", "EdDSA");
    return jwk;
  }
}
