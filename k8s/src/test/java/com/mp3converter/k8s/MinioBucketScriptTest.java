package com.mp3converter.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The minio-bucket Job's script (base/config/create-bucket.sh) against a stand-in `mc` that records its calls:
 * bucket, private access, the lifecycle rule that follows the gateway's retention, one user and one policy limited
 * to the bucket and its prefixes per service (MP3s: the worker writes, the gateway reads and deletes expired ones;
 * uploads: the gateway writes, the worker reads and deletes), each policy
 * attached once only.
 */
class MinioBucketScriptTest {
  @TempDir
  Path tmp;

  /** {@code userInfo}: what `mc admin user info` answers for every user. */
  private List<String> run(String userInfo) throws Exception {
    return run(userInfo, null);
  }

  /** {@code retention}: the Job's RETENTION (the gateway's MP3_RETENTION), null for unset. */
  private List<String> run(String userInfo, String retention) throws Exception {
    Process p = start(userInfo, retention);
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("create-bucket.sh: %s", out).isZero();
    return Files.readAllLines(tmp.resolve("mc.log"));
  }

  private Process start(String userInfo, String retention) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path log = tmp.resolve("mc.log");
    Path mc = bin.resolve("mc");
    Files.writeString(mc, """
        #!/bin/sh
        echo "$*" >> "$MC_LOG"
        case "$*" in
          "admin user info"*) echo "$FAKE_USER_INFO" ;;
          "admin policy create"*) cp "$6" "$MC_LOG.$5.json" ;;
          "ilm import"*) cat > "$MC_LOG.lifecycle.json" ;;
        esac
        """);
    Files.setPosixFilePermissions(mc, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.deleteIfExists(log);
    ProcessBuilder pb = new ProcessBuilder("sh", Repo.k8s().resolve("base/config/create-bucket.sh").toString())
        .redirectErrorStream(true);
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().put("MC_LOG", log.toString());
    pb.environment().put("FAKE_USER_INFO", userInfo);
    pb.environment().put("MINIO_URL", "http://minio:9000");
    pb.environment().put("MINIO_ROOT_USER", "root");
    pb.environment().put("MINIO_ROOT_PASSWORD", "root-password");
    pb.environment().put("WORKER_S3_ACCESS_KEY", "mp3-worker");
    pb.environment().put("WORKER_S3_SECRET_KEY", "worker-secret");
    pb.environment().put("GATEWAY_S3_ACCESS_KEY", "mp3-gateway");
    pb.environment().put("GATEWAY_S3_SECRET_KEY", "gateway-secret");
    pb.environment().put("BUCKET", "mp3");
    // In the Job the policy goes to /tmp (an emptyDir); here to the test's own folder.
    pb.environment().put("TMPDIR", tmp.toString());
    if (retention != null) {
      pb.environment().put("RETENTION", retention);
    }
    return pb.start();
  }

  @Test
  void createsThePrivateBucketAndOneUserPerServiceLimitedToIt() throws Exception {
    List<String> calls = run("AccessKey: someone\nStatus: enabled\nPolicyName:");
    assertThat(calls).containsSubsequence(
        "alias set mp3 http://minio:9000 root root-password",
        "mb --ignore-existing mp3/mp3",
        "anonymous set none mp3/mp3",
        "ilm import mp3/mp3",
        "admin policy create mp3 mp3-worker " + tmp.resolve("mp3-worker-policy.json"),
        "admin policy create mp3 mp3-gateway " + tmp.resolve("mp3-gateway-policy.json"),
        "admin user add mp3 mp3-worker worker-secret",
        "admin user info mp3 mp3-worker",
        "admin policy attach mp3 mp3-worker --user mp3-worker",
        "admin user add mp3 mp3-gateway gateway-secret",
        "admin user info mp3 mp3-gateway",
        "admin policy attach mp3 mp3-gateway --user mp3-gateway");
    assertThat(calls).filteredOn(c -> c.startsWith("admin policy attach")).hasSize(2);

    // MP3s (users/): the worker writes and reads them, the gateway reads them and deletes expired ones. Uploaded
    // sources (uploads/): the gateway writes them (and deletes refused ones), the worker reads and deletes them.
    // Nothing beyond the bucket, each action on its prefix only.
    assertThat(objectActions("mp3-worker", "users/")).containsExactlyInAnyOrder(
        "s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts");
    assertThat(objectActions("mp3-worker", "uploads/")).containsExactlyInAnyOrder("s3:GetObject", "s3:DeleteObject");
    assertThat(objectActions("mp3-gateway", "users/")).containsExactlyInAnyOrder("s3:GetObject", "s3:DeleteObject");
    assertThat(objectActions("mp3-gateway", "uploads/")).containsExactlyInAnyOrder("s3:PutObject", "s3:DeleteObject");
    for (String policy : List.of("mp3-worker", "mp3-gateway")) {
      JsonNode document = policy(policy);
      List<String> resources = document.findValues("Resource").stream()
          .flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false)).map(JsonNode::asText).toList();
      assertThat(resources).as(policy).containsExactlyInAnyOrder(
          "arn:aws:s3:::mp3", "arn:aws:s3:::mp3/users/*", "arn:aws:s3:::mp3/uploads/*");
      assertThat(document.toString()).as(policy).doesNotContain("s3:*").doesNotContain("admin:")
          .doesNotContain("DeleteBucket").doesNotContain("Lifecycle");
    }
  }

  @Test
  void theLifecycleRuleOutlastsTheGatewaysRetentionInWholeDays() throws Exception {
    run("PolicyName:");
    // Unset: the gateway's default, 7 days; S3 counts whole days from the upload, so one more.
    assertThat(lifecycleDays()).isEqualTo(8);
    JsonNode rule = Yaml.JSON.readTree(Files.readString(tmp.resolve("mc.log.lifecycle.json"))).path("Rules").get(0);
    assertThat(rule.path("Status").asText()).isEqualTo("Enabled");
    assertThat(rule.path("Filter").path("Prefix").asText()).isEqualTo("users/");
    JsonNode uploads = Yaml.JSON.readTree(Files.readString(tmp.resolve("mc.log.lifecycle.json"))).path("Rules").get(1);
    assertThat(uploads.path("Filter").path("Prefix").asText()).isEqualTo("uploads/");
    assertThat(uploads.path("Expiration").path("Days").asInt()).isEqualTo(8);

    for (String[] retention : new String[][] {{"7d", "8"}, {"36h", "3"}, {"24h", "2"}, {"90m", "2"}, {"30d", "31"}}) {
      run("PolicyName:", retention[0]);
      assertThat(lifecycleDays()).as(retention[0]).isEqualTo(Integer.parseInt(retention[1]));
    }
  }

  @Test
  void aRetentionTheScriptCannotReadStopsItBeforeAnyChange() throws Exception {
    for (String retention : new String[] {"P7D", "7 days", "12x", "d"}) {
      Process p = start("PolicyName:", retention);
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor()).as(retention).isNotZero();
      assertThat(out).as(retention).contains("RETENTION=" + retention);
      assertThat(tmp.resolve("mc.log")).as(retention).doesNotExist();
    }
  }

  private int lifecycleDays() throws Exception {
    return Yaml.JSON.readTree(Files.readString(tmp.resolve("mc.log.lifecycle.json")))
        .path("Rules").get(0).path("Expiration").path("Days").asInt();
  }

  @Test
  void aSecondRunDoesNotAttachThePoliciesAgain() throws Exception {
    List<String> calls = run("AccessKey: someone\nStatus: enabled\nPolicyName: mp3-worker mp3-gateway");
    assertThat(calls).noneMatch(c -> c.startsWith("admin policy attach"));
    assertThat(calls).contains("admin user add mp3 mp3-worker worker-secret", "admin user add mp3 mp3-gateway gateway-secret");
  }

  private JsonNode policy(String name) throws Exception {
    return Yaml.JSON.readTree(Files.readString(tmp.resolve("mc.log." + name + ".json")));
  }

  /** The actions the policy allows on the bucket's objects under {@code prefix}. */
  private List<String> objectActions(String name, String prefix) throws Exception {
    for (JsonNode statement : policy(name).path("Statement")) {
      if (statement.path("Resource").toString().contains("/" + prefix + "*")) {
        return java.util.stream.StreamSupport.stream(statement.path("Action").spliterator(), false)
            .map(JsonNode::asText).toList();
      }
    }
    throw new AssertionError(name + " has no statement on the bucket's objects under " + prefix);
  }
}
