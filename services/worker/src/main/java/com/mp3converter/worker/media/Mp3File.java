package com.mp3converter.worker.media;

import java.nio.file.Path;

/** The converted MP3 as measured after ffmpeg: its file, size in bytes and duration per ffprobe. */
public record Mp3File(Path path, long bytes, double durationSeconds) {}
