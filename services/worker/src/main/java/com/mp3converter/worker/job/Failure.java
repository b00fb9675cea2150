package com.mp3converter.worker.job;

import com.mp3converter.shared.messages.FailureReason;

/**
 * Why a job attempt failed.
 *
 * @param retryable whether another attempt could succeed (a source's 5xx, a timeout, storage down)
 * @param detail what happened, for our logs only (never sent to the user)
 */
public record Failure(FailureReason reason, boolean retryable, String detail) {}
