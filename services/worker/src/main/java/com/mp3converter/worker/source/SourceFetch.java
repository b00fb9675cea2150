package com.mp3converter.worker.source;

import java.net.URI;

/**
 * The download loop's next request: the checked URL to fetch (also the base a relative Location resolves
 * against) and how many redirects were followed to get there.
 */
public record SourceFetch(URI url, int redirectsFollowed) {}
