package com.mp3converter.notifier;

/**
 * Resend refused us rather than the email (401/403: a missing or wrong API key, or an unexpected answer): retrying
 * cannot help, but nothing is wrong with the event either, so it goes to the dead-letter queue to be replayed
 * once the configuration is fixed.
 */
public class ResendConfigurationException extends ResendException {
  public ResendConfigurationException(int status, String message) {
    super(status, message);
  }
}
