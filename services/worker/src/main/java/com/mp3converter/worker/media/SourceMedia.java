package com.mp3converter.worker.media;

/**
 * What ffprobe found in an accepted source.
 *
 * @param inputFormat the demuxer ffmpeg is forced to use ({@code -f})
 * @param codec the codec of the audio stream that is converted (the first one)
 * @param durationSeconds the container's duration, or null when the container does not say
 */
public record SourceMedia(String inputFormat, String codec, Double durationSeconds) {}
