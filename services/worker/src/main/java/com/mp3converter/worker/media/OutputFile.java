package com.mp3converter.worker.media;

import java.nio.file.Path;

/**
 * The job's converted file: where it is (null when it was found already stored), its size in bytes, its duration
 * per ffprobe, and the name it is offered under ({@link com.mp3converter.shared.messages.DownloadFilenames}).
 */
public record OutputFile(Path path, long bytes, double durationSeconds, String filename) {}
