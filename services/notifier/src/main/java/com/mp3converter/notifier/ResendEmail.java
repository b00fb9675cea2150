package com.mp3converter.notifier;

import java.util.List;

/** The JSON body of Resend's {@code POST /emails}: exactly the fields we use. */
public record ResendEmail(String from, List<String> to, String subject, String html, String text) {}
