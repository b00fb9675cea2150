package com.mp3converter.gateway.conversions;

import java.util.UUID;

/** What a {@code conversion.progress} event changes: the percentage of the job's running attempt. */
public record ProgressChange(UUID jobId, int attempt, int percent) {}
