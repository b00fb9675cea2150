package com.mp3converter.worker.source;

import com.mp3converter.shared.messages.FailureReason;
import com.mp3converter.shared.url.BlockedUrlException;
import com.mp3converter.shared.url.SourceUrlPolicy;
import com.mp3converter.worker.job.PermanentFailureException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * Decides where a redirect leads: the Location is resolved against the URL that answered and goes through the
 * same policy as the first URL (scheme, port, host form, address literals), at most {@code maxRedirects} times.
 * The addresses a host name resolves to are checked again at connect time by the guarded DNS resolver.
 */
public final class Redirects {
  /** Statuses that are followed; the next request is always a plain GET without a body. */
  public static final Set<Integer> FOLLOWED = Set.of(301, 302, 303, 307, 308);

  private final SourceUrlPolicy policy;
  private final int maxRedirects;

  public Redirects(SourceUrlPolicy policy, int maxRedirects) {
    this.policy = policy;
    this.maxRedirects = maxRedirects;
  }

  public static boolean isRedirect(int status) {
    return FOLLOWED.contains(status);
  }

  /**
   * @param current the URL that answered with a redirect
   * @param location its Location header (may be relative)
   * @param followedSoFar redirects already followed for this job
   * @return the checked URL to fetch next
   * @throws BlockedUrlException the target is not allowed
   * @throws PermanentFailureException no or a malformed Location, or too many redirects
   */
  public URI next(URI current, String location, int followedSoFar) throws BlockedUrlException {
    if (followedSoFar >= maxRedirects) {
      throw new PermanentFailureException(
          FailureReason.SOURCE_UNREACHABLE, "More than " + maxRedirects + " redirects.");
    }
    if (location == null || location.isBlank()) {
      throw new PermanentFailureException(FailureReason.SOURCE_UNREACHABLE, "A redirect without a Location.");
    }
    URI target;
    try {
      target = current.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw new PermanentFailureException(FailureReason.SOURCE_UNREACHABLE, "A redirect to a malformed Location.");
    }
    return policy.check(target.toString());
  }
}
