package com.mp3converter.shared.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Forged, stretched and misused tokens against the two verifiers. Tokens are written by hand (header, claims,
 * signature), so each one is exactly the attack it names, whatever a JWT library would refuse to produce.
 */
class TokenHostileInputTest {
  private static final String ISS = "mp3-converter-auth";
  private static final String AUD = "mp3-converter";
  private static final String DOWNLOAD_ISS = "mp3-converter-gateway";
  private static final String DOWNLOAD_AUD = "mp3-converter-download";
  private static final Instant NOW = Instant.parse("2026-11-29T10:00:00Z");
  private static final Duration SKEW = Duration.ofSeconds(30);
  private static final String USER = "7b0f6a4e-2b8e-4a55-9d3c-0f4c1f0a9a11";

  private static final KeyPair OURS = ed25519();
  private static final KeyPair ATTACKER = ed25519();
  private static final String KID = Ed25519Jwk.thumbprint(OURS.getPublic());
  private static final String ATTACKER_KID = Ed25519Jwk.thumbprint(ATTACKER.getPublic());
  private static final byte[] DOWNLOAD_KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  private static final AccessTokenVerifier ACCESS = new AccessTokenVerifier(
      kid -> Optional.ofNullable(Map.of(KID, OURS.getPublic()).get(kid)), ISS, AUD, SKEW, CLOCK);
  private static final DownloadTokens DOWNLOADS =
      new DownloadTokens(DOWNLOAD_KEY, DOWNLOAD_ISS, DOWNLOAD_AUD, Duration.ofDays(7), CLOCK);

  static Stream<Arguments> accessTokens() throws Exception {
    String publicPem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(OURS.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    String publicJwk = Json.MESSAGES.writeValueAsString(Ed25519Jwk.toJwk(KID, OURS.getPublic()));
    byte[] rawX = Base64.getUrlDecoder().decode(Ed25519Jwk.x(OURS.getPublic()));
    return Stream.of(
        refused("alg none", unsigned(header("none", KID), access())),
        refused("alg None", unsigned(header("None", KID), access())),
        refused("alg EdDSA with the signature stripped", unsigned(header("EdDSA", KID), access())),
        refused("HS256 keyed with our public key (DER)", hmac(header("HS256", KID), access(), OURS.getPublic().getEncoded())),
        refused("HS256 keyed with our public key (raw x)", hmac(header("HS256", KID), access(), rawX)),
        refused("HS256 keyed with our public key (PEM text)", hmac(header("HS256", KID), access(), utf8(publicPem))),
        refused("HS256 keyed with our public JWK", hmac(header("HS256", KID), access(), utf8(publicJwk))),
        refused("ES256 under our kid", es256(header("ES256", KID), access())),
        refused("a foreign kid", ed(header("EdDSA", ATTACKER_KID), access(), ATTACKER.getPrivate())),
        refused("our kid, the attacker's key", ed(header("EdDSA", KID), access(), ATTACKER.getPrivate())),
        refused("the attacker's key embedded as jwk", ed(with(header("EdDSA", ATTACKER_KID), "jwk",
            Ed25519Jwk.toJwk(ATTACKER_KID, ATTACKER.getPublic())), access(), ATTACKER.getPrivate())),
        refused("a jku pointing at the attacker's JWKS", ed(with(header("EdDSA", ATTACKER_KID), "jku",
            "https://attacker.example/jwks.json"), access(), ATTACKER.getPrivate())),
        refused("kid path traversal", ed(header("EdDSA", "../../../../dev/null"), access(), ATTACKER.getPrivate())),
        refused("kid SQL injection", ed(header("EdDSA", "' OR '1'='1"), access(), ATTACKER.getPrivate())),
        refused("no kid", ed(without(header("EdDSA", KID), "kid"), access(), OURS.getPrivate())),
        refused("an unknown critical header", ed(with(header("EdDSA", KID), "crit", new String[] {"x-evil"}), access(),
            OURS.getPrivate())),
        refused("no exp", ed(header("EdDSA", KID), without(access(), "exp"), OURS.getPrivate())),
        refused("wrong aud", ed(header("EdDSA", KID), with(access(), "aud", "someone-else"), OURS.getPrivate())),
        refused("the download audience", ed(header("EdDSA", KID), with(access(), "aud", DOWNLOAD_AUD), OURS.getPrivate())),
        refused("no aud", ed(header("EdDSA", KID), without(access(), "aud"), OURS.getPrivate())),
        refused("wrong iss", ed(header("EdDSA", KID), with(access(), "iss", "evil"), OURS.getPrivate())),
        refused("no iss", ed(header("EdDSA", KID), without(access(), "iss"), OURS.getPrivate())),
        refused("use download", ed(header("EdDSA", KID), with(access(), "use", "download"), OURS.getPrivate())),
        refused("no use", ed(header("EdDSA", KID), without(access(), "use"), OURS.getPrivate())),
        refused("no sub", ed(header("EdDSA", KID), without(access(), "sub"), OURS.getPrivate())),
        expired("expired by a second past the skew", ed(header("EdDSA", KID),
            with(access(), "exp", NOW.minus(SKEW).minusSeconds(1).getEpochSecond()), OURS.getPrivate())),
        refused("not valid before a second past the skew", ed(header("EdDSA", KID),
            with(access(), "nbf", NOW.plus(SKEW).plusSeconds(1).getEpochSecond()), OURS.getPrivate())),
        refused("a tampered subject", tamperedSubject()),
        refused("another token's signature", swappedSignature()),
        refused("5,000 characters", "a".repeat(5_000)),
        refused("five parts (JWE)", "eyJhbGciOiJkaXIifQ.." + "a".repeat(22) + ".YQ." + "a".repeat(22)),
        refused("not a JWT", "not.a.token"),
        refused("a download token", DOWNLOADS.issue("job-1", USER).token()));
  }

  static Stream<Arguments> downloadTokens() throws Exception {
    DownloadTokens otherKey = new DownloadTokens(
        "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII), DOWNLOAD_ISS, DOWNLOAD_AUD,
        Duration.ofDays(7), CLOCK);
    return Stream.of(
        refused("an access token", ed(header("EdDSA", KID), access(), OURS.getPrivate())),
        refused("signed with another key", otherKey.issue("job-1", USER).token()),
        refused("the access audience", hmac(header("HS256", null), with(download(), "aud", AUD), DOWNLOAD_KEY)),
        refused("use access", hmac(header("HS256", null), with(download(), "use", "access"), DOWNLOAD_KEY)),
        refused("no job", hmac(header("HS256", null), without(download(), "job"), DOWNLOAD_KEY)),
        refused("no exp", hmac(header("HS256", null), without(download(), "exp"), DOWNLOAD_KEY)),
        refused("alg none", unsigned(header("none", null), download())),
        refused("EdDSA with auth's key", ed(header("EdDSA", KID), download(), OURS.getPrivate())),
        expired("expired by a second", hmac(header("HS256", null),
            with(download(), "exp", NOW.minusSeconds(1).getEpochSecond()), DOWNLOAD_KEY)),
        refused("3,000 characters", "a".repeat(3_000)),
        refused("a zero signature (the benchmark's forged link)", FORGED),
        refused("a genuine token's last signature character changed", lastCharacterChanged(
            DOWNLOADS.issue("job-1", USER).token())),
        refused("a genuine token's signature spelled with an unused bit set", unusedSignatureBitSet(
            DOWNLOADS.issue("job-1", USER).token())),
        refused("a genuine token with a fourth part", DOWNLOADS.issue("job-1", USER).token() + ".x"));
  }

  /** What bench/LoadShedding.java --reject sends: a well-formed HS256 token with 32 zero bytes as signature. */
  private static final String FORGED =
      Base64.getUrlEncoder().withoutPadding().encodeToString(utf8("{\"alg\":\"HS256\"}"))
          + ".eyJzdWIiOiJ4In0." + "A".repeat(43);

  private static String lastCharacterChanged(String token) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == 'A' ? 'Q' : 'A');
  }

  /**
   * The same signature spelled another way: the last of 43 base64url characters carries 4 bits of the HMAC and 2
   * unused ones, which a decoder ignores; setting one gives another text for the same bytes.
   */
  private static String unusedSignatureBitSet(String token) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + alphabet.charAt(alphabet.indexOf(last) | 1);
  }

  /**
   * The cheap check the gateway runs before anything else (DownloadLinkFilter): true exactly for tokens whose
   * signature this key made, whatever their claims (the full check refuses those that are wrong); every other
   * token of the hostile list is refused by it already.
   */
  @Test
  void onlyTokensThisKeySignedPassTheCheapCheck() throws Exception {
    assertThat(DOWNLOADS.signedHere(DOWNLOADS.issue("job-1", USER).token())).isTrue();
    assertThat(DOWNLOADS.signedHere(hmac(header("HS256", null), without(download(), "job"), DOWNLOAD_KEY))).isTrue();
    assertThat(DOWNLOADS.signedHere(hmac(header("HS256", null),
        with(download(), "exp", NOW.minusSeconds(1).getEpochSecond()), DOWNLOAD_KEY))).isTrue();
    for (String token : new String[] {null, "", FORGED, "not.a.token", "a".repeat(3_000),
        lastCharacterChanged(DOWNLOADS.issue("job-1", USER).token()),
        unusedSignatureBitSet(DOWNLOADS.issue("job-1", USER).token()),
        DOWNLOADS.issue("job-1", USER).token() + ".x",
        unsigned(header("none", null), download()),
        ed(header("EdDSA", KID), download(), OURS.getPrivate())}) {
      assertThat(DOWNLOADS.signedHere(token)).as(token).isFalse();
    }
  }

  @ParameterizedTest(name = "access token: {0}")
  @MethodSource("accessTokens")
  void theAccessVerifierRefuses(String name, String token, boolean expired) {
    assertThatThrownBy(() -> ACCESS.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).as(name).isEqualTo(expired));
  }

  @ParameterizedTest(name = "download token: {0}")
  @MethodSource("downloadTokens")
  void theDownloadVerifierRefuses(String name, String token, boolean expired) {
    assertThatThrownBy(() -> DOWNLOADS.verify(token))
        .isInstanceOfSatisfying(InvalidTokenException.class, e -> assertThat(e.expired()).as(name).isEqualTo(expired));
  }

  // ------------------------------------------------------------------------------------------- forging by hand

  private static Arguments refused(String name, String token) {
    return Arguments.of(name, token, false);
  }

  private static Arguments expired(String name, String token) {
    return Arguments.of(name, token, true);
  }

  private static Map<String, Object> header(String alg, String kid) {
    Map<String, Object> header = new LinkedHashMap<>();
    header.put("alg", alg);
    if (kid != null) {
      header.put("kid", kid);
    }
    header.put("typ", "JWT");
    return header;
  }

  /** Claims a genuine access token of ours carries, valid at {@link #NOW}. */
  private static Map<String, Object> access() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", ISS);
    claims.put("aud", AUD);
    claims.put("sub", USER);
    claims.put("use", "access");
    claims.put("iat", NOW.getEpochSecond());
    claims.put("exp", NOW.plusSeconds(600).getEpochSecond());
    return claims;
  }

  private static Map<String, Object> download() {
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("iss", DOWNLOAD_ISS);
    claims.put("aud", DOWNLOAD_AUD);
    claims.put("sub", USER);
    claims.put("job", "job-1");
    claims.put("use", "download");
    claims.put("exp", NOW.plusSeconds(600).getEpochSecond());
    return claims;
  }

  private static Map<String, Object> with(Map<String, Object> map, String name, Object value) {
    Map<String, Object> copy = new LinkedHashMap<>(map);
    copy.put(name, value);
    return copy;
  }

  private static Map<String, Object> without(Map<String, Object> map, String name) {
    Map<String, Object> copy = new LinkedHashMap<>(map);
    copy.remove(name);
    return copy;
  }

  private static String unsigned(Map<String, Object> header, Map<String, Object> claims) throws Exception {
    return signingInput(header, claims) + ".";
  }

  private static String ed(Map<String, Object> header, Map<String, Object> claims, PrivateKey key) throws Exception {
    return signed(header, claims, input -> sign("Ed25519", key, input));
  }

  private static String es256(Map<String, Object> header, Map<String, Object> claims) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    PrivateKey key = generator.generateKeyPair().getPrivate();
    return signed(header, claims, input -> sign("SHA256withECDSAinP1363Format", key, input));
  }

  private static String hmac(Map<String, Object> header, Map<String, Object> claims, byte[] secret) throws Exception {
    return signed(header, claims, input -> {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        return mac.doFinal(input);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  private static String signed(Map<String, Object> header, Map<String, Object> claims, Function<byte[], byte[]> signer)
      throws Exception {
    String input = signingInput(header, claims);
    return input + "." + b64(signer.apply(input.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] sign(String algorithm, PrivateKey key, byte[] input) {
    try {
      Signature signature = Signature.getInstance(algorithm);
      signature.initSign(key);
      signature.update(input);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String signingInput(Map<String, Object> header, Map<String, Object> claims) throws Exception {
    return b64(Json.MESSAGES.writeValueAsBytes(header)) + "." + b64(Json.MESSAGES.writeValueAsBytes(claims));
  }

  private static String tamperedSubject() throws Exception {
    String[] parts = ed(header("EdDSA", KID), access(), OURS.getPrivate()).split("\\.");
    String claims = b64(Json.MESSAGES.writeValueAsBytes(with(access(), "sub", "00000000-0000-0000-0000-000000000000")));
    return parts[0] + "." + claims + "." + parts[2];
  }

  private static String swappedSignature() throws Exception {
    String mine = ed(header("EdDSA", KID), access(), OURS.getPrivate());
    String other = ed(header("EdDSA", KID), with(access(), "sub", "00000000-0000-0000-0000-000000000000"),
        OURS.getPrivate());
    return other.substring(0, other.lastIndexOf('.')) + mine.substring(mine.lastIndexOf('.'));
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static KeyPair ed25519() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
