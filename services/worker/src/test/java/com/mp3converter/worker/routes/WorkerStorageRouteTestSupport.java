package com.mp3converter.worker.routes;

import com.mp3converter.testing.LocalS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * {@link WorkerRouteTestSupport} with an S3Proxy of the test class's own, started before the application context
 * and removed with its folder after the class. Each class has its own server, so one bucket name serves them all.
 */
abstract class WorkerStorageRouteTestSupport extends WorkerRouteTestSupport {
  static final String BUCKET = "mp3-worker-test";

  static LocalS3 s3;

  @BeforeAll
  static void startStorage() throws Exception {
    s3 = LocalS3.start().createBucket(BUCKET);
  }

  @DynamicPropertySource
  static void storage(DynamicPropertyRegistry registry) {
    useStorage(registry, s3, BUCKET);
  }

  @AfterAll
  static void stopStorage() throws Exception {
    s3.close();
    s3.deleteFolder();
  }
}
