package com.mp3converter.auth;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** The {@code mp3.jwt} tree of auth.yaml: what the gateway expects in every access token. */
@ConfigurationProperties("mp3.jwt")
public record JwtProperties(
    @DefaultValue("mp3-converter-auth") String issuer,
    @DefaultValue("mp3-converter") String audience,
    @DefaultValue("15m") Duration accessTtl) {}
