package com.mp3converter.gateway.uploads;

import com.mp3converter.shared.messages.Bitrate;
import java.nio.file.Path;

/**
 * An upload taken in by {@link UploadIntake}: the file spooled to the gateway's disk (removed when the request
 * ends), the job it is for, the file name its user gave it (sanitised), its size, the SHA-256 of its bytes (hex) and
 * the output choices from the other parts.
 */
public record Upload(String jobId, Path file, String filename, long bytes, String sha256, Bitrate bitrate) {}
