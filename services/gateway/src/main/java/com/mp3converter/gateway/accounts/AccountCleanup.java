package com.mp3converter.gateway.accounts;

import com.mp3converter.shared.json.Json;
import com.mp3converter.shared.messages.AccountDeleted;
import com.mp3converter.shared.token.AccessClaims;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Body;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What the gateway holds of a deleted account goes: every object under {@code users/{userId}/} (MP3s) and
 * {@code uploads/{userId}/} (uploaded sources), then the job rows, and the user is recorded as deleted so their
 * access tokens are refused. Idempotent: a redelivered account.deleted finds nothing left and records nothing new.
 */
public final class AccountCleanup {
  private static final Logger LOG = LoggerFactory.getLogger(AccountCleanup.class);
  private static final List<String> PREFIXES = List.of("users/", "uploads/");

  private final S3Client s3;
  private final String bucket;
  private final DeletedAccounts deletedAccounts;

  public AccountCleanup(S3Client s3, String bucket, DeletedAccounts deletedAccounts) {
    this.s3 = s3;
    this.bucket = bucket;
    this.deletedAccounts = deletedAccounts;
  }

  /** The account.deleted message; one without a UUID userId cannot be acted on (parked by the route). */
  public UUID read(@Body byte[] message) throws IOException {
    AccountDeleted deleted = Json.MESSAGES.readValue(message, AccountDeleted.class);
    try {
      return UUID.fromString(String.valueOf(deleted.userId()));
    } catch (IllegalArgumentException e) {
      throw new UnreadableAccountMessage("account.deleted without a user id");
    }
  }

  public void deleteEverything(@Body UUID userId) {
    deletedAccounts.record(userId);
    int objects = 0;
    for (String prefix : PREFIXES) {
      objects += deleteObjects(prefix + userId + "/");
    }
    deletedAccounts.forget(userId);
    LOG.info("Deleted account {}: {} object(s) and the job rows", userId, objects);
  }

  /**
   * DELETE /account answered by auth: when the account is gone (204), its tokens are refused from now on, before
   * account.deleted arrives.
   */
  public void recordIfDeleted(@Header("CamelHttpResponseCode") Integer status,
      @ExchangeProperty("user") AccessClaims user) {
    if (status != null && status == 204) {
      deletedAccounts.record(UUID.fromString(user.userId()));
    }
  }

  private int deleteObjects(String prefix) {
    int deleted = 0;
    var pages = s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build());
    for (var page : pages) {
      // One DELETE per object: every S3-compatible server has it (not all take multi-object deletes).
      for (S3Object object : page.contents()) {
        s3.deleteObject(request -> request.bucket(bucket).key(object.key()));
        deleted++;
      }
    }
    return deleted;
  }

  /** An account.deleted message that can never be applied: it goes to the dead-letter queue. */
  public static final class UnreadableAccountMessage extends RuntimeException {
    public UnreadableAccountMessage(String message) {
      super(message);
    }
  }
}
