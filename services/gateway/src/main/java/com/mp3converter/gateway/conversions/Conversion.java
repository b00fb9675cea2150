package com.mp3converter.gateway.conversions;

import java.time.Instant;
import java.util.UUID;

/**
 * One row of the gateway's job table, as the API shows it. {@code bytes} and {@code durationSeconds} are set once
 * the job completed, {@code errorReason} and {@code errorMessage} once it failed.
 */
public record Conversion(
    UUID id,
    UUID userId,
    JobStatus status,
    String sourceUrl,
    String bitrate,
    Long bytes,
    Double durationSeconds,
    String errorReason,
    String errorMessage,
    Instant createdAt,
    Instant updatedAt) {}
