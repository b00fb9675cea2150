package com.mp3converter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.mp3converter.launcher.LocalSystem.Service;
import com.mp3converter.shared.json.Json;
import com.mp3converter.testing.HeadlessChromium;
import com.mp3converter.testing.RabbitVirtualHost;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The management console of the local run (docs/operations.md): Hawtio and Jolokia on every management port,
 * behind a login with a viewer and an admin, in front of the access policy. Over HTTP (Jolokia as scripts use it)
 * and in a real browser (headless Chromium through the machine's chromedriver), which also saves the screenshots
 * docs/operations.md shows (target/console-screenshots/).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ManagementConsoleTest {
  @RegisterExtension static final RabbitVirtualHost RABBIT = new RabbitVirtualHost();
  private static final String VIEWER_PASSWORD = "viewer-" + UUID.randomUUID();
  private static final String ADMIN_PASSWORD = "admin-" + UUID.randomUUID();
  private static final String ROUTE = "worker-consume";
  /** The route whose diagram page the viewer opens. */
  private static final String DIAGRAM_ROUTE = "worker-job";
  private static final Path SCREENSHOTS = Path.of("target/console-screenshots");

  private TestSystem test;
  private LocalSystem system;

  @BeforeAll
  void startEverything() throws Exception {
    test = TestSystem.named("console").rabbit(RABBIT)
        .setting("MP3_HAWTIO_VIEWER_PASSWORD", VIEWER_PASSWORD)
        .setting("MP3_HAWTIO_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .start();
    system = test.system();
    Files.createDirectories(SCREENSHOTS);
  }

  @AfterAll
  void stopEverything() throws Exception {
    if (test != null) {
      test.close();
    }
  }

  private String management(Service service) {
    return system.managementUrl(service);
  }

  private ServiceStatus workerRoute() {
    return system.context(Service.WORKER).getBean(CamelContext.class).getRouteController().getRouteStatus(ROUTE);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Jolokia over HTTP, as a script uses it: HTTP Basic, POST with the CSRF token from the XSRF-TOKEN cookie.
  // ---------------------------------------------------------------------------------------------------------

  /** A Jolokia client logged in as one user on one service's management port. */
  private final class Jolokia {
    private final String base;
    private final String authorization;
    private final CookieManager cookies = new CookieManager();
    private final HttpClient http;

    Jolokia(Service service, String user, String password) {
      this.base = management(service);
      this.authorization = "Basic " + Base64.getEncoder()
          .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
      this.http = HttpClient.newBuilder().cookieHandler(cookies).build();
    }

    HttpResponse<String> get(String path) throws Exception {
      return http.send(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", authorization)
          .GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One Jolokia request; the HTTP status is checked, the answer's own status is the caller's. */
    JsonNode post(String json) throws Exception {
      get("/actuator");
      String token = cookies.getCookieStore().getCookies().stream()
          .filter(c -> c.getName().equals("XSRF-TOKEN")).map(HttpCookie::getValue).findFirst().orElseThrow();
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/actuator/jolokia"))
          .header("Authorization", authorization).header("X-XSRF-TOKEN", token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      return Json.MESSAGES.readTree(answer.body());
    }

    JsonNode exec(String mbean, String operation) throws Exception {
      return post("{\"type\":\"exec\",\"mbean\":" + Json.MESSAGES.writeValueAsString(mbean)
          + ",\"operation\":\"" + operation + "\"}");
    }

    JsonNode read(String mbean, String attribute) throws Exception {
      return post("{\"type\":\"read\",\"mbean\":" + Json.MESSAGES.writeValueAsString(mbean)
          + ",\"attribute\":\"" + attribute + "\"}");
    }
  }

  private static String routeMBean(String context, String route) {
    return "org.apache.camel:context=" + context + ",type=routes,name=\"" + route + "\"";
  }

  @Test
  void wrongPasswordsAndMissingOnesAreRefused() throws Exception {
    for (Service service : Service.values()) {
      assertThat(new Jolokia(service, "viewer", "not-" + VIEWER_PASSWORD).get("/actuator/jolokia/version")
          .statusCode()).as(service + " wrong password").isEqualTo(401);
      assertThat(new Jolokia(service, "admin", VIEWER_PASSWORD).get("/actuator/hawtio/").statusCode())
          .as(service + " someone else's password").isEqualTo(401);
    }
    HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(management(Service.WORKER) + "/actuator/jolokia"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"version\"}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isIn(401, 403);
  }

  @Test
  void probesAndMetricsNeedNoLoginAndTheApiPortHasNoneOfIt() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path : new String[] {"/actuator/health/readiness", "/actuator/prometheus"}) {
      assertThat(http.send(HttpRequest.newBuilder(URI.create(management(Service.WORKER) + path)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode()).as(path).isEqualTo(200);
    }
    HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(system.gatewayUrl() + "/openapi.json"))
        .build(), HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void jolokiaRefusesSecretHoldingAttributesEvenToTheAdmin() throws Exception {
    Jolokia admin = new Jolokia(Service.WORKER, "admin", ADMIN_PASSWORD);
    JsonNode properties = admin.read("java.lang:type=Runtime", "SystemProperties");
    assertThat(properties.path("status").asInt()).as(properties.toString()).isEqualTo(403);
    assertThat(properties.toString()).doesNotContain("java.home");
    JsonNode arguments = admin.read("java.lang:type=Runtime", "InputArguments");
    assertThat(arguments.path("status").asInt()).as(arguments.toString()).isEqualTo(403);
    JsonNode uptime = admin.read("java.lang:type=Runtime", "Uptime");
    assertThat(uptime.path("status").asInt()).as(uptime.toString()).isEqualTo(200);
  }

  @Test
  void theViewerReadsRoutesButOnlyTheAdminStopsAndStartsThem() throws Exception {
    Jolokia viewer = new Jolokia(Service.WORKER, "viewer", VIEWER_PASSWORD);
    JsonNode completed = viewer.read(routeMBean("worker", ROUTE), "ExchangesCompleted");
    assertThat(completed.path("status").asInt()).as(completed.toString()).isEqualTo(200);
    JsonNode diagram = viewer.exec(routeMBean("worker", ROUTE), "dumpRouteAsXml()");
    assertThat(diagram.path("value").asText()).contains("worker-consume");

    JsonNode refused = viewer.exec(routeMBean("worker", ROUTE), "stop()");
    assertThat(refused.path("status").asInt()).as(refused.toString()).isEqualTo(403);
    assertThat(workerRoute()).isEqualTo(ServiceStatus.Started);

    Jolokia admin = new Jolokia(Service.WORKER, "admin", ADMIN_PASSWORD);
    try {
      JsonNode stopped = admin.exec(routeMBean("worker", ROUTE), "stop()");
      assertThat(stopped.path("status").asInt()).as(stopped.toString()).isEqualTo(200);
      assertThat(workerRoute()).isEqualTo(ServiceStatus.Stopped);
    } finally {
      JsonNode started = admin.exec(routeMBean("worker", ROUTE), "start()");
      assertThat(started.path("status").asInt()).as(started.toString()).isEqualTo(200);
    }
    assertThat(workerRoute()).isEqualTo(ServiceStatus.Started);
  }

  @Test
  void oneConsoleOfTheLocalRunShowsAllFourServicesRoutes() throws Exception {
    Jolokia viewer = new Jolokia(Service.GATEWAY, "viewer", VIEWER_PASSWORD);
    JsonNode contexts = viewer.post("{\"type\":\"search\",\"mbean\":\"org.apache.camel:type=context,*\"}");
    assertThat(contexts.path("value").toString())
        .contains("context=auth", "context=gateway", "context=worker", "context=notifier");
  }

  // ---------------------------------------------------------------------------------------------------------
  // Hawtio in a real browser.
  // ---------------------------------------------------------------------------------------------------------

  private HeadlessChromium browser() {
    return HeadlessChromium.start(new Dimension(1440, 900));
  }

  /** The screenshot, the page's HTML and its console (JavaScript errors such as the route diagram's). */
  private void screenshot(HeadlessChromium browser, String name) throws Exception {
    browser.screenshot(SCREENSHOTS.resolve(name + ".png"));
    Files.write(SCREENSHOTS.resolve(name + "-console.log"), browser.console());
  }

  private void logIn(WebDriver browser, Service service, String user, String password) {
    browser.get(management(service) + "/actuator/hawtio/");
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("username"))).sendKeys(user);
    browser.findElement(By.id("password")).sendKeys(password);
    browser.findElement(By.cssSelector("button[type=submit]")).click();
  }

  /** Opens the worker's routes in Hawtio's Camel tab: its context in the tree, then its routes folder. */
  private void openWorkerRoutes(HeadlessChromium chromium) throws Exception {
    WebDriver browser = chromium.driver();
    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    browser.get(management(Service.WORKER) + "/actuator/hawtio/camel/routes");
    wait.until(ExpectedConditions.elementToBeClickable(treeNode("worker-folder", "toggle"))).click();
    wait.until(ExpectedConditions.elementToBeClickable(treeNode("worker-routes-folder", "text"))).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("a[href$='/camel/routes']"))).click();
    try {
      wait.until(ExpectedConditions.visibilityOfElementLocated(routeRow(ROUTE)));
    } catch (RuntimeException e) {
      screenshot(chromium, "failed-to-open-the-worker-routes");
      throw e;
    }
  }

  /** A node of Hawtio's Camel tree: its toggle (expand) or its text (select). */
  private static By treeNode(String id, String part) {
    return By.cssSelector("li[id='org.apache.camel-CamelContexts-" + id + "'] > div button.pf-v6-c-tree-view__node-"
        + part);
  }

  private static By routeRow(String route) {
    return By.xpath("//tr[td[normalize-space()='" + route + "']]");
  }

  private void clickStop(WebDriver browser) {
    browser.findElement(routeRow(ROUTE)).findElement(By.cssSelector("input[type=checkbox]")).click();
    new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Stop']"))).click();
  }

  @Test
  void theBrowserLoginRefusesAWrongPassword() throws Exception {
    try (HeadlessChromium chromium = browser()) {
      WebDriver browser = chromium.driver();
      logIn(browser, Service.WORKER, "viewer", "not-" + VIEWER_PASSWORD);
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(ExpectedConditions.urlContains("/login?error"));
      assertThat(browser.findElements(By.id("password"))).as("the login form again").hasSize(1);
      browser.get(management(Service.WORKER) + "/actuator/hawtio/camel/routes");
      assertThat(browser.getCurrentUrl()).endsWith("/login");
    }
  }

  @Test
  void theViewerSeesTheWorkersRoutesAndTheirDiagramButCannotStopThem() throws Exception {
    try (HeadlessChromium chromium = browser()) {
      WebDriver browser = chromium.driver();
      logIn(browser, Service.WORKER, "viewer", VIEWER_PASSWORD);
      openWorkerRoutes(chromium);
      String routes = browser.findElement(By.tagName("table")).getText();
      assertThat(routes).contains("worker-consume", "worker-job", "worker-convert", "worker-upload", "Started");
      screenshot(chromium, "routes");

      // Hawtio reports Jolokia's refusal in an alert: close the ones already shown, then try to stop the route.
      for (WebElement close : browser.findElements(By.cssSelector(".pf-v6-c-alert__action button"))) {
        close.click();
      }
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.numberOfElementsToBe(By.cssSelector(".pf-v6-c-alert"), 0));
      clickStop(browser);
      // The route keeps running.
      new WebDriverWait(browser, Duration.ofSeconds(20))
          .until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(".pf-v6-c-alert")));
      assertThat(browser.findElement(By.cssSelector(".pf-v6-c-alert")).getText()).contains("stop() forbidden");
      assertThat(workerRoute()).isEqualTo(ServiceStatus.Started);
      screenshot(chromium, "viewer-cannot-stop");

      WebElement routesFolder = browser.findElement(
          By.cssSelector("li[id='org.apache.camel-CamelContexts-worker-routes-folder']"));
      if (!"true".equals(routesFolder.getAttribute("aria-expanded"))) {
        browser.findElement(treeNode("worker-routes-folder", "toggle")).click();
      }
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
          treeNode("worker-routes-" + DIAGRAM_ROUTE + "-folder", "text"))).click();
      new WebDriverWait(browser, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(
          By.cssSelector("a[href$='/camel/routeDiagram']"))).click();
      // The diagram is drawn: one node per processor, the from and the steps after it (the route's XML starts with
      // its from: an errorHandler element before it is what Hawtio 5.2 cannot draw).
      // React Flow draws the nodes in turns: waited for until the route's outline is drawn.
      new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
          .until(d -> d.findElements(By.cssSelector(".react-flow__node")).size() >= 4
              && List.of("Do Try", "Choice", "Otherwise", "To direct:worker-").stream()
                  .allMatch(d.findElement(By.cssSelector(".react-flow")).getText()::contains));
      assertThat(browser.getPageSource()).as("an error alert about the diagram").doesNotContain("reading 'weight'");
      // The refusal above is still on show: closed, so that the screenshot shows the diagram alone.
      new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(StaleElementReferenceException.class).until(d -> {
        d.findElements(By.cssSelector(".pf-v6-c-alert__action button")).forEach(WebElement::click);
        return d.findElements(By.cssSelector(".pf-v6-c-alert")).isEmpty();
      });
      screenshot(chromium, "route-diagram");
    }
  }

  @Test
  void theAdminStopsAndStartsARouteFromTheConsole() throws Exception {
    try (HeadlessChromium chromium = browser()) {
      WebDriver browser = chromium.driver();
      logIn(browser, Service.WORKER, "admin", ADMIN_PASSWORD);
      openWorkerRoutes(chromium);
      clickStop(browser);
      await().atMost(Duration.ofSeconds(30)).until(this::workerRoute, ServiceStatus.Stopped::equals);
      new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.findElement(routeRow(ROUTE)).getText()
          .contains("Stopped"));
      screenshot(chromium, "admin-stopped-a-route");
      WebElement selected = browser.findElement(routeRow(ROUTE)).findElement(By.cssSelector("input[type=checkbox]"));
      if (!selected.isSelected()) {
        selected.click();
      }
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.elementToBeClickable(By.xpath("//button[normalize-space()='Start']"))).click();
      await().atMost(Duration.ofSeconds(30)).until(this::workerRoute, ServiceStatus.Started::equals);
    } finally {
      if (workerRoute() != ServiceStatus.Started) {
        system.context(Service.WORKER).getBean(CamelContext.class).getRouteController().startRoute(ROUTE);
      }
    }
  }
}
