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
 * bucket, private access, a policy limited to the bucket, the services' user, and the policy attached once only.
 */
class MinioBucketScriptTest {
  @TempDir
  Path tmp;

  private List<String> run(String userInfo) throws Exception {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path log = tmp.resolve("mc.log");
    Path mc = bin.resolve("mc");
    Files.writeString(mc, """
        #!/bin/sh
        echo "$*" >> "$MC_LOG"
        case "$*" in
          "admin user info"*) echo "$FAKE_USER_INFO" ;;
          "admin policy create"*) cp "$6" "$MC_LOG.policy.json" ;;
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
    pb.environment().put("S3_ACCESS_KEY", "mp3-services");
    pb.environment().put("S3_SECRET_KEY", "services-secret");
    pb.environment().put("BUCKET", "mp3");
    // In the Job the policy goes to /tmp (an emptyDir); here to the test's own folder.
    pb.environment().put("TMPDIR", tmp.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("create-bucket.sh: %s", out).isZero();
    return Files.readAllLines(log);
  }

  @Test
  void createsThePrivateBucketAndAUserLimitedToIt() throws Exception {
    List<String> calls = run("AccessKey: mp3-services\nStatus: enabled\nPolicyName:");
    assertThat(calls).containsSubsequence(
        "alias set mp3 http://minio:9000 root root-password",
        "mb --ignore-existing mp3/mp3",
        "anonymous set none mp3/mp3",
        "admin policy create mp3 mp3-app " + tmp.resolve("mp3-app-policy.json"),
        "admin user add mp3 mp3-services services-secret",
        "admin user info mp3 mp3-services",
        "admin policy attach mp3 mp3-app --user mp3-services");
    JsonNode policy = Yaml.JSON.readTree(Files.readString(tmp.resolve("mc.log.policy.json")));
    List<String> resources = policy.findValues("Resource").stream()
        .flatMap(r -> java.util.stream.StreamSupport.stream(r.spliterator(), false)).map(JsonNode::asText).toList();
    assertThat(resources).containsExactlyInAnyOrder("arn:aws:s3:::mp3", "arn:aws:s3:::mp3/*");
    assertThat(policy.toString()).doesNotContain("s3:*").doesNotContain("admin:");
  }

  @Test
  void aSecondRunDoesNotAttachThePolicyAgain() throws Exception {
    List<String> calls = run("AccessKey: mp3-services\nStatus: enabled\nPolicyName: mp3-app");
    assertThat(calls).noneMatch(c -> c.startsWith("admin policy attach"));
    assertThat(calls).contains("admin user add mp3 mp3-services services-secret");
  }
}
