package com.mp3converter.worker.media;

/**
 * What ffprobe found in an accepted source.
 *
 * @param inputFormat the demuxer ffmpeg is forced to use ({@code -f})
 * @param codec the codec of the audio stream that is converted (the first one)
 * @param durationSeconds the container's duration, or null when the container does not say
 * @param tags the source's title, artist, album, track and year, sanitised
 * @param pictureStream the index of the source's attached picture (cover art) if it has one of a bounded size,
 *     else null; carried over only when pictures are allowed (mp3.id3-pictures)
 */
public record SourceMedia(String inputFormat, String codec, Double durationSeconds, TrackTags tags,
    Integer pictureStream) {

  /** A source without tags or picture. */
  public SourceMedia(String inputFormat, String codec, Double durationSeconds) {
    this(inputFormat, codec, durationSeconds, TrackTags.NONE, null);
  }
}
