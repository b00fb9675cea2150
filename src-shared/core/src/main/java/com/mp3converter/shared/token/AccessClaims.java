package com.mp3converter.shared.token;

/**
 * Who an access token speaks for. {@code emailVerified} is the {@code email_verified} claim: whether the user had
 * proved the address when the token was issued (conversions need it; a token without the claim counts as not
 * verified).
 */
public record AccessClaims(String userId, String email, String name, boolean emailVerified) {}
