package com.mp3converter.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The machine's Chromium, headless, driven through its chromedriver (Debian's {@code chromium} and
 * {@code chromium-driver}: nothing is downloaded). Downloads land in a folder of the test's choosing, and the
 * browser's console (CSP violations, script errors) can be read back.
 *
 * <pre>{@code
 * try (HeadlessChromium chromium = HeadlessChromium.start(HeadlessChromium.DESKTOP, downloads)) {
 *   chromium.driver().get(url);
 *   chromium.screenshot(Path.of("target/page.png"));
 * }
 * }</pre>
 */
public final class HeadlessChromium implements AutoCloseable {
  public static final Dimension DESKTOP = new Dimension(1280, 900);
  /** A common phone's CSS width (iPhone SE to 13 mini). */
  public static final Dimension PHONE = new Dimension(375, 812);

  private static final String CHROMIUM = System.getProperty("mp3.test.chromium", "/usr/bin/chromium");
  private static final String CHROMEDRIVER = System.getProperty("mp3.test.chromedriver", "/usr/bin/chromedriver");

  private final ChromeDriver driver;
  private final List<String> console = new ArrayList<>();

  private HeadlessChromium(ChromeDriver driver) {
    this.driver = driver;
  }

  /** A browser with a window of {@code size}; downloads are saved into {@code downloads} without asking. */
  public static HeadlessChromium start(Dimension size, Path downloads) {
    ChromeOptions options = new ChromeOptions()
        .setBinary(CHROMIUM)
        .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
            "--window-size=" + size.getWidth() + "," + size.getHeight());
    if (downloads != null) {
      options.setExperimentalOption("prefs", Map.of(
          "download.default_directory", downloads.toAbsolutePath().toString(),
          "download.prompt_for_download", false,
          "safebrowsing.enabled", false));
    }
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return new HeadlessChromium(driver);
  }

  /** A browser with a window of {@code size} that does not expect downloads. */
  public static HeadlessChromium start(Dimension size) {
    return start(size, null);
  }

  public WebDriver driver() {
    return driver;
  }

  public WebDriverWait waiting(Duration timeout) {
    return new WebDriverWait(driver, timeout);
  }

  /**
   * Shows the page as a screen of {@code size} CSS pixels (a phone's is emulated as a mobile screen: overlay
   * scrollbars, so the page gets the whole width).
   */
  public void resize(Dimension size) {
    driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of(
        "width", size.getWidth(), "height", size.getHeight(), "deviceScaleFactor", 1,
        "mobile", size.getWidth() < 600));
  }

  /** Saves what the window shows as a PNG (and the page's HTML beside it, for reading a failure). */
  public Path screenshot(Path png) throws IOException {
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, driver.getScreenshotAs(OutputType.BYTES));
    String name = png.getFileName().toString().replaceFirst("\\.png$", "");
    Files.writeString(png.resolveSibling(name + ".html"), driver.getPageSource());
    return png;
  }

  /** Saves the whole page, below the fold too, at the current width as a PNG. */
  public Path fullPageScreenshot(Path png) throws IOException {
    @SuppressWarnings("unchecked")
    Map<String, Number> page = (Map<String, Number>) ((JavascriptExecutor) driver).executeScript(
        "return {width: document.documentElement.clientWidth,"
            + " height: Math.ceil(document.documentElement.scrollHeight)}");
    Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png",
        "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", page.get("width"), "height", page.get("height"), "scale", 1)));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode((String) shot.get("data")));
    return png;
  }

  /** Everything the page wrote to the browser console so far (errors, CSP violations, console.log). */
  public List<String> console() {
    for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
      console.add(entry.getLevel() + " " + entry.getMessage());
    }
    return List.copyOf(console);
  }

  @Override
  public void close() {
    driver.quit();
  }
}
