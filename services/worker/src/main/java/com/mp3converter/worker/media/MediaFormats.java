package com.mp3converter.worker.media;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The containers and codecs we agree to decode. Everything else, playlists above all (HLS, DASH, concat,
 * ffconcat: they make ffmpeg open further files or URLs), never reaches a decoder: ffprobe is told to refuse
 * other demuxers outright ({@link #DEMUXER_WHITELIST}), and the probe's answer is checked again here.
 */
public final class MediaFormats {
  /** ffprobe's format_name of an accepted input, and the demuxer name ffmpeg is then forced to use. */
  private static final Map<String, String> INPUT_FORMATS = Map.of(
      "wav", "wav",
      "mp3", "mp3",
      "flac", "flac",
      "ogg", "ogg",
      "mov,mp4,m4a,3gp,3g2,mj2", "mov",
      "aac", "aac",
      "matroska,webm", "matroska",
      "aiff", "aiff",
      "caf", "caf");

  /** For {@code -format_whitelist}: one name per accepted demuxer (ffmpeg matches any of a demuxer's names). */
  public static final String DEMUXER_WHITELIST = String.join(",", Set.copyOf(INPUT_FORMATS.values()).stream().sorted().toList());

  private static final Set<String> CODECS = Set.of("mp3", "mp2", "flac", "vorbis", "opus", "aac", "alac");

  private MediaFormats() {}

  /** The demuxer to force for an input ffprobe named {@code formatName}; empty when it is not accepted. */
  public static Optional<String> inputFormat(String formatName) {
    return Optional.ofNullable(INPUT_FORMATS.get(formatName));
  }

  /**
   * Whether ffmpeg can read a source of this demuxer from a pipe, as it arrives. Not MP4 and its kin: their index
   * (moov) is often at the end of the file, which a reader of a pipe cannot seek to.
   */
  public static boolean readsFromPipe(String demuxer) {
    return isInputFormat(demuxer) && !demuxer.equals("mov");
  }

  /** Whether {@code name} is one of the demuxers we force (checked before it goes on a command line). */
  public static boolean isInputFormat(String name) {
    return INPUT_FORMATS.containsValue(name);
  }

  /** Uncompressed PCM of any layout, and the common compressed audio codecs. */
  public static boolean isAudioCodec(String codec) {
    return codec != null && (codec.startsWith("pcm_") || CODECS.contains(codec));
  }
}
