package com.mp3converter.shared.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.shared.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auth's public keys, fetched from its JWKS and cached. An unknown {@code kid} triggers a refresh (a key was
 * rotated in), but at most once per {@code minRefreshInterval}, so forged kids cannot hammer auth.
 */
public final class RemoteJwks implements PublicKeyLookup {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

  private final URI jwksUri;
  private final HttpClient http;
  private final Duration maxAge;
  private final Duration minRefreshInterval;
  private final Clock clock;

  private volatile Map<String, PublicKey> keys = Map.of();
  private volatile Instant fetchedAt = Instant.EPOCH;
  private volatile Instant lastAttempt = Instant.EPOCH;

  public RemoteJwks(URI jwksUri, Duration maxAge, Duration minRefreshInterval, Clock clock) {
    this.jwksUri = jwksUri;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    this.maxAge = maxAge;
    this.minRefreshInterval = minRefreshInterval;
    this.clock = clock;
  }

  @Override
  public Optional<PublicKey> find(String kid) {
    Instant now = clock.instant();
    PublicKey key = keys.get(kid);
    boolean stale = now.isAfter(fetchedAt.plus(maxAge));
    if ((key == null || stale) && now.isAfter(lastAttempt.plus(minRefreshInterval))) {
      refresh(now);
      key = keys.get(kid);
    }
    return Optional.ofNullable(key);
  }

  private synchronized void refresh(Instant now) {
    if (!now.isAfter(lastAttempt.plus(minRefreshInterval))) {
      return;
    }
    lastAttempt = now;
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(jwksUri).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        LOG.warn("JWKS fetch from {} answered {}", jwksUri, response.statusCode());
        return;
      }
      keys = parse(response.body());
      fetchedAt = now;
    } catch (IOException e) {
      LOG.warn("JWKS fetch from {} failed: {}", jwksUri, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Parses a JWK Set, keeping only Ed25519 signing keys. */
  public static Map<String, PublicKey> parse(String jwksJson) throws IOException {
    Map<String, PublicKey> parsed = new HashMap<>();
    for (JsonNode jwk : Json.MESSAGES.readTree(jwksJson).path("keys")) {
      if ("OKP".equals(jwk.path("kty").asText())
          && "Ed25519".equals(jwk.path("crv").asText())
          && jwk.hasNonNull("kid")
          && jwk.hasNonNull("x")) {
        parsed.put(jwk.get("kid").asText(), Ed25519Jwk.publicKey(jwk.get("x").asText()));
      }
    }
    return Map.copyOf(parsed);
  }
}
