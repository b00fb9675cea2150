package com.mp3converter.launcher;

import com.mp3converter.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWTs written by hand (header, claims, signature), so a test can send exactly the forgery it names, whatever a
 * JWT library would refuse to produce.
 */
final class ForgedJwt {
  private final Map<String, Object> header = new LinkedHashMap<>();
  private final Map<String, Object> claims = new LinkedHashMap<>();

  private ForgedJwt(String alg) {
    header.put("alg", alg);
    header.put("typ", "JWT");
  }

  static ForgedJwt alg(String alg) {
    return new ForgedJwt(alg);
  }

  ForgedJwt header(String name, Object value) {
    if (value == null) {
      header.remove(name);
    } else {
      header.put(name, value);
    }
    return this;
  }

  ForgedJwt claims(Map<String, Object> values) {
    claims.putAll(values);
    return this;
  }

  ForgedJwt claim(String name, Object value) {
    if (value == null) {
      claims.remove(name);
    } else {
      claims.put(name, value);
    }
    return this;
  }

  String unsigned() {
    return signingInput() + ".";
  }

  String signEd25519(PrivateKey key) {
    return signed(sign("Ed25519", key));
  }

  String signHs256(byte[] secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      return signed(mac.doFinal(signingInput().getBytes(StandardCharsets.US_ASCII)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private byte[] sign(String algorithm, PrivateKey key) {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(signingInput().getBytes(StandardCharsets.US_ASCII));
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String signed(byte[] signature) {
    return signingInput() + "." + b64(signature);
  }

  private String signingInput() {
    try {
      return b64(Json.MESSAGES.writeValueAsBytes(header)) + "." + b64(Json.MESSAGES.writeValueAsBytes(claims));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
