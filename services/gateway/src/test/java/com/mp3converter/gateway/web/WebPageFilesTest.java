package com.mp3converter.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mp3converter.shared.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/**
 * The web app's files as the gateway serves them: every file the page and its modules refer to is one the gateway
 * serves (and nothing else is), with its type and the security headers; no inline script or style that the
 * Content-Security-Policy would refuse. The browser side: WebPageTest in services/launcher.
 */
class WebPageFilesTest {
  private static final Pattern REFERENCE = Pattern.compile(
      "(?:src|href)=\"/web/([^\"]+)\"|from '\\./([^']+)'|import '\\./([^']+)'");

  private final WebPage page = new WebPage();

  private Message serve(String file, String ifNoneMatch) {
    Message message = new DefaultMessage(new DefaultCamelContext());
    message.setHeader("Authorization", "Bearer someone's");
    page.serve(file, ifNoneMatch, message);
    return message;
  }

  private static String text(Message message) {
    return new String(message.getBody(byte[].class), StandardCharsets.UTF_8);
  }

  @Test
  void everyFileThePageAndItsModulesReferToIsServedAndNoOtherIs() {
    List<String> referenced = new ArrayList<>();
    for (String file : List.of("index.html", "app.js", "api.js", "jobs.js")) {
      Matcher m = REFERENCE.matcher(text(serve(file.equals("index.html") ? null : file, null)));
      while (m.find()) {
        referenced.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
      }
    }
    assertThat(referenced).contains("app.js", "style.css", "icon.svg", "api.js", "jobs.js");
    List<String> assets = new ArrayList<>(WebPage.FILES);
    assets.remove("index.html");
    assertThat(referenced).allSatisfy(name -> assertThat(assets).contains(name));
    assertThat(assets).allSatisfy(name -> assertThat(referenced).contains(name));
  }

  @Test
  void eachFileHasItsTypeTheSecurityHeadersAndNoneOfTheRequestsHeaders() {
    Message html = serve(null, null);
    assertThat(html.getHeader("Content-Type")).isEqualTo("text/html; charset=utf-8");
    assertThat(html.getHeader("CamelHttpResponseCode")).isEqualTo(200);
    assertThat(html.getHeader("Content-Security-Policy", String.class))
        .startsWith("default-src 'none'").doesNotContain("unsafe");
    assertThat(html.getHeader("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(html.getHeader("Authorization")).isNull();
    assertThat(serve("app.js", null).getHeader("Content-Type")).isEqualTo("text/javascript; charset=utf-8");
    assertThat(serve("style.css", null).getHeader("Content-Type")).isEqualTo("text/css; charset=utf-8");
    assertThat(serve("icon.svg", null).getHeader("Content-Type")).isEqualTo("image/svg+xml");
  }

  @Test
  void aCurrentCopyIsAnswered304WithoutABody() {
    String etag = serve("jobs.js", null).getHeader("ETag", String.class);
    Message again = serve("jobs.js", etag);
    assertThat(again.getHeader("CamelHttpResponseCode")).isEqualTo(304);
    assertThat(again.getBody()).isNull();
    assertThat(serve("api.js", etag).getHeader("CamelHttpResponseCode")).isEqualTo(200);
  }

  @Test
  void unknownNamesAndThePageUnderItsFileNameAreNotFound() {
    for (String name : List.of("index.html", "gateway.yaml", "../gateway.yaml", "app.js.map", "")) {
      assertThatThrownBy(() -> serve(name, null)).as(name).isInstanceOf(ProblemException.class)
          .satisfies(e -> assertThat(((ProblemException) e).problem().status()).isEqualTo(404));
    }
  }

  @Test
  void thePageHasNoInlineScriptOrStyleForThePolicyToRefuse() {
    String html = text(serve(null, null));
    assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)")
        .doesNotContain("<style", " style=\"", "onclick=", "onload=", "javascript:");
    for (String module : List.of("app.js", "api.js", "jobs.js")) {
      assertThat(text(serve(module, null))).as(module)
          .doesNotContain("innerHTML", "insertAdjacentHTML", "eval(", "localStorage.", "sessionStorage.",
              "document.cookie", ".style.");
    }
  }
}
