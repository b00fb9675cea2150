package com.mp3converter.shared.token;

/** Who an access token speaks for. */
public record AccessClaims(String userId, String email, String name) {}
