package com.mp3converter.shared.url;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a source URL may look like before anything is resolved: http or https, a host, an allowed port, no
 * user info, bounded length. {@code allowPrivate} relaxes only the address check (local runs and tests).
 * The same policy checks the first URL at the gateway and every redirect hop in the worker.
 */
public record SourceUrlPolicy(boolean allowPrivate, Set<Integer> allowedPorts, int maxLength) {

  public static final Set<Integer> DEFAULT_PORTS = Set.of(80, 443);
  public static final int DEFAULT_MAX_LENGTH = 2048;

  private static final Pattern HOST_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*\\.?");
  /** Anything that looks like a number-only host (decimal, octal, hex, short dotted forms). */
  private static final Pattern NUMERIC_HOST = Pattern.compile("(0x[0-9a-f]+|[0-9]+)(\\.(0x[0-9a-f]+|[0-9]+)){0,3}\\.?");
  private static final Pattern DOTTED_QUAD = Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");

  public static SourceUrlPolicy strict() {
    return new SourceUrlPolicy(false, DEFAULT_PORTS, DEFAULT_MAX_LENGTH);
  }

  /**
   * Parses and checks a URL; the answer is the normalised URI to fetch.
   *
   * @throws BlockedUrlException with a message a user can read
   */
  public URI check(String url) throws BlockedUrlException {
    if (url == null || url.isBlank()) {
      throw new BlockedUrlException("The URL is empty.");
    }
    if (url.length() > maxLength) {
      throw new BlockedUrlException("The URL is longer than " + maxLength + " characters.");
    }
    URI uri;
    try {
      uri = new URI(url.strip()).normalize();
    } catch (URISyntaxException e) {
      throw new BlockedUrlException("The URL is not well formed.");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new BlockedUrlException("Only http and https URLs are accepted.");
    }
    if (uri.getRawUserInfo() != null) {
      throw new BlockedUrlException("URLs with a user name or password are not accepted.");
    }
    String host = uri.getHost();
    if (host == null || host.isEmpty()) {
      throw new BlockedUrlException("The URL has no valid host.");
    }
    int port = uri.getPort() == -1 ? (scheme.equals("https") ? 443 : 80) : uri.getPort();
    if (!allowedPorts.contains(port)) {
      throw new BlockedUrlException("Port " + port + " is not allowed.");
    }
    checkHost(host);
    try {
      // Fragments never reach the server; drop them so they cannot confuse anything downstream. Path and query
      // stay as sent (percent-encoded): decoding them would change their meaning (%2F, %26 or %2B in a signed
      // URL's query).
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
      return new URI(scheme + "://" + uri.getRawAuthority() + path + query);
    } catch (URISyntaxException e) {
      throw new BlockedUrlException("The URL is not well formed.");
    }
  }

  private void checkHost(String host) throws BlockedUrlException {
    if (host.startsWith("[")) {
      if (host.contains("%")) {
        throw new BlockedUrlException("IPv6 zone identifiers are not accepted.");
      }
      checkLiteral(host.substring(1, host.length() - 1));
      return;
    }
    String ascii;
    try {
      ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      throw new BlockedUrlException("The host name is not valid.");
    }
    if (NUMERIC_HOST.matcher(ascii).matches()) {
      // Only canonical dotted quads: 2130706433, 0177.0.0.1 or 0x7f.1 mean different things to different parsers.
      if (!DOTTED_QUAD.matcher(ascii).matches()) {
        throw new BlockedUrlException("Numeric host names must be dotted-quad IPv4 addresses.");
      }
      checkLiteral(ascii);
      return;
    }
    if (!HOST_NAME.matcher(ascii).matches()) {
      throw new BlockedUrlException("The host name is not valid.");
    }
    if (!allowPrivate && AddressRules.isBlockedName(ascii)) {
      throw new BlockedUrlException("The host " + ascii + " is not allowed.");
    }
  }

  private void checkLiteral(String literal) throws BlockedUrlException {
    InetAddress address;
    try {
      // A literal: the JDK parses it without any DNS lookup.
      address = InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new BlockedUrlException("The address is not valid.");
    }
    if (!allowPrivate && !AddressRules.isPublic(address)) {
      throw new BlockedUrlException("The address " + literal + " is not a public address.");
    }
  }

  @JsonIgnore
  public boolean checksAddresses() {
    return !allowPrivate;
  }
}
