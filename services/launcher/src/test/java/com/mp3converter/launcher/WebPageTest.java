package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mp3converter.testing.AudioFixtures;
import com.mp3converter.testing.EmailLinks;
import com.mp3converter.testing.Ffprobe;
import com.mp3converter.testing.HeadlessChromium;
import com.mp3converter.testing.RabbitVirtualHost;
import com.mp3converter.testing.StaticFileServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The web app at {@code /} in a real browser (headless Chromium) against the four real services: a user registers,
 * confirms the address through the emailed link, logs in, uploads a WAV (with the upload bar), watches the job
 * complete in the list, downloads the MP3 (checked with ffprobe), sees a failure explained in plain words, cancels a
 * job in progress and deletes a finished one; another resets a forgotten password from the email and deletes the
 * account. The page's screenshots at a phone's and a desktop's width are saved into docs/images/web-*.png for the
 * README.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebPageTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final double SOURCE_SECONDS = 3.0;
  private static final Path IMAGES = Path.of("..", "..", "docs", "images");
  private static final Duration JOB = Duration.ofSeconds(90);

  @TempDir static Path sources;
  @TempDir static Path downloads;

  private TestSystem test;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void startEverything() throws Exception {
    AudioFixtures.writeSineWav(sources.resolve("birdsong.wav"), SOURCE_SECONDS);
    Files.writeString(sources.resolve("shopping-list.wav"), "milk, eggs, bread\n".repeat(40));
    test = TestSystem.named("webpage").rabbit(RABBIT).sources(sources).start();
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (test != null) {
      test.close();
    }
  }

  @Test
  void thePagesAreServedWithAStrictContentSecurityPolicyAndRevalidated() throws Exception {
    for (String path : List.of("/", "/verify?token=abc", "/reset?token=abc")) {
      HttpResponse<String> page = get(path, Optional.empty());
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.headers().firstValue("Content-Type")).as(path)
          .hasValueSatisfying(v -> assertThat(v.replace(" ", "")).isEqualTo("text/html;charset=utf-8"));
      assertThat(page.body()).contains("<script type=\"module\" src=\"/web/app.js\"></script>");
      String policy = page.headers().firstValue("Content-Security-Policy").orElseThrow();
      assertThat(policy).contains("default-src 'none'", "script-src 'self'", "style-src 'self'",
          "connect-src 'self'", "frame-ancestors 'none'").doesNotContain("unsafe-inline", "unsafe-eval");
      assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
      assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
      // Request headers are not echoed (platform-http would copy them into the response).
      assertThat(page.headers().firstValue("Authorization")).isEmpty();
    }
    HttpResponse<String> script = get("/web/app.js", Optional.empty());
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v.replace(" ", "")).isEqualTo("text/javascript;charset=utf-8"));
    String etag = script.headers().firstValue("ETag").orElseThrow();
    HttpResponse<String> again = get("/web/app.js", Optional.of(etag));
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();

    for (String missing : List.of("/web/index.html", "/web/secrets.txt", "/web/gateway.yaml")) {
      HttpResponse<String> answer = get(missing, Optional.empty());
      assertThat(answer.statusCode()).as(missing).isEqualTo(404);
      assertThat(answer.headers().firstValue("Content-Type")).as(missing)
          .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    }
  }

  @Test
  void aVerificationLinkIsTakenOutOfTheAddressBarAndABadOneIsExplained() {
    try (HeadlessChromium chromium = HeadlessChromium.start(HeadlessChromium.DESKTOP)) {
      WebDriver browser = chromium.driver();
      browser.get(test.gatewayUrl() + "/verify?token=not-a-real-token");
      WebElement result = browser.findElement(By.id("verify-result"));
      chromium.waiting(Duration.ofSeconds(20)).until(d -> !result.getText().equals("One moment…"));
      assertThat(browser.getCurrentUrl()).isEqualTo(test.gatewayUrl() + "/verify");
      assertThat(result.getText()).doesNotContain("confirmed").isNotBlank();
      assertThat(browser.findElement(By.id("login-form")).isDisplayed()).isTrue();
      assertNoPolicyViolations(chromium);
    }
  }

  @Test
  void aUserRegistersConfirmsUploadsWatchesDownloadsCancelsAndDeletesInTheBrowser() throws Exception {
    String email = "web@example.com";
    String password = "correct horse battery staple";
    AtomicInteger dripped = new AtomicInteger();
    test.files().handle("/endless-rain.wav", StaticFileServer.drip(1_000_000, Duration.ofMillis(50), dripped));
    try (HeadlessChromium chromium = HeadlessChromium.start(HeadlessChromium.DESKTOP, downloads)) {
      WebDriver browser = chromium.driver();
      browser.get(test.gatewayUrl() + "/");
      visible(chromium, "register-form");
      assertEveryControlIsLabelled(browser);
      chromium.fullPageScreenshot(IMAGES.resolve("web-signed-out-desktop.png"));
      chromium.resize(HeadlessChromium.PHONE);
      assertNoSidewaysScrolling(browser);
      chromium.fullPageScreenshot(IMAGES.resolve("web-signed-out-phone.png"));
      chromium.resize(HeadlessChromium.DESKTOP);

      // Register: the page says an email was sent; its link opens /verify, which confirms the address.
      fill(browser, "register-name", "Web User");
      fill(browser, "register-email", email);
      fill(browser, "register-password", password);
      browser.findElement(By.cssSelector("#register-form button[type=submit]")).click();
      assertThat(notice(chromium)).contains("we sent an email to " + email);
      browser.get(test.gatewayUrl() + "/verify?token=" + EmailLinks.awaitVerifyToken(test.resend(), email));
      chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
          By.id("verify-result"), "confirmed"));
      assertThat(browser.getCurrentUrl()).isEqualTo(test.gatewayUrl() + "/verify");

      logIn(chromium, email, password);
      assertThat(browser.findElement(By.id("session-email")).getText()).isEqualTo(email);
      assertEveryControlIsLabelled(browser);
      // The access token is in the page's memory only.
      assertThat(((JavascriptExecutor) browser).executeScript(
          "return localStorage.length + sessionStorage.length + document.cookie.length")).isEqualTo(0L);

      // A file from the disk, uploaded with a progress bar (multipart POST /conversions).
      recordUploadProgress(browser);
      browser.findElement(By.id("source-file")).sendKeys(sources.resolve("birdsong.wav").toAbsolutePath().toString());
      browser.findElement(By.id("convert-submit")).click();
      WebElement done = job(chromium, "birdsong.wav", "completed");
      assertThat(done.findElement(By.className("job-status")).getText()).isEqualTo("Ready");
      assertThat(((JavascriptExecutor) browser).executeScript("return window.uploadSeen"))
          .as("the upload bar was shown and reached 100 %").isEqualTo(List.of(true, 100L));

      // A URL that is no audio: failed, and why in plain words.
      submitUrl(browser, test.files().url("shopping-list.wav"));
      WebElement failed = job(chromium, "shopping-list.wav", "failed");
      assertThat(failed.findElement(By.className("job-detail")).getText())
          .isEqualTo("The file is not an audio file we can read.");
      assertThat(failed.findElement(By.cssSelector("button[aria-label='Try shopping-list.wav again']")).isDisplayed())
          .isTrue();

      // A source that never ends: cancelled from the list while it is being fetched.
      submitUrl(browser, test.files().url("endless-rain.wav"));
      WebElement endless = job(chromium, "endless-rain.wav", "processing");
      await().atMost(JOB).until(() -> dripped.get() > 0);
      assertThat(endless.findElement(By.className("job-progress")).isDisplayed()).isTrue();
      chromium.fullPageScreenshot(IMAGES.resolve("web-jobs-desktop.png"));
      chromium.resize(HeadlessChromium.PHONE);
      assertNoSidewaysScrolling(browser);
      chromium.fullPageScreenshot(IMAGES.resolve("web-jobs-phone.png"));
      chromium.resize(HeadlessChromium.DESKTOP);
      endless.findElement(By.cssSelector("button[aria-label='Cancel endless-rain.wav']")).click();
      WebElement cancelled = job(chromium, "endless-rain.wav", "cancelled");
      assertThat(cancelled.findElement(By.className("job-detail")).getText())
          .isEqualTo("You cancelled this conversion.");

      // The MP3, downloaded by the browser, is an MP3 of the source's length.
      done.findElement(By.linkText("Download MP3")).click();
      Path mp3 = await().atMost(Duration.ofSeconds(30)).until(() -> downloadedMp3(), Optional::isPresent).get();
      assertThat(Ffprobe.formatName(mp3)).isEqualTo("mp3");
      assertThat(Ffprobe.durationSeconds(mp3)).isCloseTo(SOURCE_SECONDS, org.assertj.core.data.Offset.offset(0.1));

      // Deleting a finished job takes it out of the list, also after a fresh load.
      failed.findElement(By.cssSelector("button[aria-label='Delete shopping-list.wav']")).click();
      chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(failed));
      browser.findElement(By.id("refresh")).click();
      chromium.waiting(Duration.ofSeconds(20)).until(d -> d.findElements(By.cssSelector("li.job")).size() == 2);
      assertThat(browser.findElements(By.cssSelector("li.job .job-name"))).extracting(WebElement::getText)
          .containsExactlyInAnyOrder("birdsong.wav", "endless-rain.wav");

      assertNoPolicyViolations(chromium);
    }
  }

  @Test
  void aForgottenPasswordIsResetFromTheEmailAndTheAccountDeletedInTheBrowser() throws Exception {
    String email = "forgetful@example.com";
    String password = "first password of mine";
    String newPassword = "second password, better";
    try (HeadlessChromium chromium = HeadlessChromium.start(HeadlessChromium.DESKTOP)) {
      WebDriver browser = chromium.driver();
      browser.get(test.gatewayUrl() + "/");
      visible(chromium, "register-form");
      fill(browser, "register-name", "Forgetful");
      fill(browser, "register-email", email);
      fill(browser, "register-password", password);
      browser.findElement(By.cssSelector("#register-form button[type=submit]")).click();
      assertThat(notice(chromium)).contains("we sent an email to " + email);
      browser.get(test.gatewayUrl() + "/verify?token=" + EmailLinks.awaitVerifyToken(test.resend(), email));
      chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
          By.id("verify-result"), "confirmed"));

      browser.findElement(By.id("forgot-open")).click();
      fill(browser, "forgot-email", email);
      browser.findElement(By.cssSelector("#forgot-form button[type=submit]")).click();
      assertThat(notice(chromium)).contains("we sent it a link");
      String resetToken = EmailLinks.awaitToken(test.resend()::emails, email, EmailLinks.RESET);
      browser.get(test.gatewayUrl() + "/reset?token=" + resetToken);
      visible(chromium, "reset-form");
      assertThat(browser.getCurrentUrl()).isEqualTo(test.gatewayUrl() + "/reset");
      fill(browser, "reset-password", newPassword);
      browser.findElement(By.cssSelector("#reset-form button[type=submit]")).click();
      assertThat(notice(chromium)).contains("Your password is changed");

      logIn(chromium, email, newPassword);
      browser.findElement(By.cssSelector("details.danger summary")).click();
      browser.findElement(By.id("delete-account-confirm")).click();
      browser.findElement(By.cssSelector("#delete-account-form button[type=submit]")).click();
      visible(chromium, "login-form");
      assertThat(notice(chromium)).contains("Your account and all its files were deleted.");

      fill(browser, "login-email", email);
      fill(browser, "login-password", newPassword);
      browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
      chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.textToBePresentInElementLocated(
          By.id("notice"), "Wrong email or password."));
      assertNoPolicyViolations(chromium);
    }
  }

  // ---------------------------------------------------------------------------------------------------------

  private HttpResponse<String> get(String path, Optional<String> ifNoneMatch) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(test.gatewayUrl() + path))
        .header("Authorization", "Bearer not-echoed").timeout(Duration.ofSeconds(30));
    ifNoneMatch.ifPresent(etag -> request.header("If-None-Match", etag));
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void visible(HeadlessChromium chromium, String id) {
    chromium.waiting(Duration.ofSeconds(20)).until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
  }

  private static void fill(WebDriver browser, String id, String text) {
    WebElement field = browser.findElement(By.id(id));
    field.clear();
    field.sendKeys(text);
  }

  /** The text of the page's notice once it shows one. */
  private static String notice(HeadlessChromium chromium) {
    WebElement notice = chromium.driver().findElement(By.id("notice"));
    chromium.waiting(Duration.ofSeconds(20)).until(d -> notice.isDisplayed() && !notice.getText().isBlank());
    return notice.getText();
  }

  private static void logIn(HeadlessChromium chromium, String email, String password) {
    WebDriver browser = chromium.driver();
    fill(browser, "login-email", email);
    fill(browser, "login-password", password);
    browser.findElement(By.cssSelector("#login-form button[type=submit]")).click();
    visible(chromium, "convert-form");
  }

  /**
   * Records in {@code window.uploadSeen} whether the page showed its upload bar and the highest value it reached
   * (the bar is hidden again once the upload is done).
   */
  private static void recordUploadProgress(WebDriver browser) {
    ((JavascriptExecutor) browser).executeScript(
        "window.uploadSeen = [false, 0];"
            + "const bar = document.getElementById('upload-progress');"
            + "new MutationObserver(() => {"
            + "  window.uploadSeen = [window.uploadSeen[0] || !document.getElementById('upload').hidden,"
            + "      Math.max(window.uploadSeen[1], bar.value)];"
            + "}).observe(document.getElementById('upload'), {attributes: true, subtree: true});");
  }

  private static void submitUrl(WebDriver browser, String url) {
    fill(browser, "source-url", url);
    browser.findElement(By.id("convert-submit")).click();
  }

  /** The list item of the job named {@code name}, once it has {@code status}. */
  private static WebElement job(HeadlessChromium chromium, String name, String status) {
    By item = By.xpath("//li[contains(@class,'job')][.//span[@class='job-name' and normalize-space()='" + name
        + "']]");
    chromium.waiting(JOB).until(d -> d.findElements(item).stream()
        .anyMatch(e -> status.equals(e.getAttribute("data-status"))));
    return chromium.driver().findElement(item);
  }

  private static Optional<Path> downloadedMp3() throws Exception {
    try (Stream<Path> files = Files.list(downloads)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".mp3")).findFirst();
    }
  }

  /** Every input and select has a label a screen reader announces. */
  private static void assertEveryControlIsLabelled(WebDriver browser) {
    Object unlabelled = ((JavascriptExecutor) browser).executeScript(
        "return [...document.querySelectorAll('input, select')]"
            + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)");
    assertThat((List<?>) unlabelled).isEmpty();
  }

  /** At the window's width nothing sticks out sideways (a phone would have to scroll). */
  private static void assertNoSidewaysScrolling(WebDriver browser) {
    Object overflow = ((JavascriptExecutor) browser).executeScript(
        "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
    assertThat(((Number) overflow).longValue()).isLessThanOrEqualTo(0);
  }

  /** The strict policy holds without breaking the page: no inline code the browser had to refuse. */
  private static void assertNoPolicyViolations(HeadlessChromium chromium) {
    assertThat(chromium.console()).noneMatch(line -> line.contains("Content Security Policy")
        || line.contains("Uncaught"));
  }
}
