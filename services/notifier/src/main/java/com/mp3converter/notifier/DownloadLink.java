package com.mp3converter.notifier;

import java.time.Instant;

/** The gateway's answer to {@code POST /internal/download-links}: a signed link and when it stops working. */
public record DownloadLink(String url, Instant expiresAt) {}
