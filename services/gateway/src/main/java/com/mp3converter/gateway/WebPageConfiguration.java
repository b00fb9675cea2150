package com.mp3converter.gateway;

import com.mp3converter.gateway.web.WebPage;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The web app's files (routes/gateway/web-page.camel.yaml), apart from the API's beans in GatewayConfiguration. */
@Configuration(proxyBeanMethods = false)
public class WebPageConfiguration {
  @Bean
  WebPage webPage() {
    return new WebPage();
  }
}
