package com.mp3converter.worker.media;

import java.nio.file.Path;

/**
 * The job's converted file: where it is (null when it was found already stored), its size in bytes and its
 * duration per ffprobe.
 */
public record OutputFile(Path path, long bytes, double durationSeconds) {}
