package com.mp3converter.auth;

/** Body of {@code POST /password-reset}. */
public record PasswordResetRequest(String email) {}
