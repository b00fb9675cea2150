package com.mp3converter.shared.management;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * The console's login lives in the management port's own context: a service whose management endpoints share the
 * API port would serve Hawtio and Jolokia without it. Such a configuration does not start.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnManagementPort(ManagementPortType.SAME)
public class ConsolePortCheck {

  @Bean
  Object consoleNeedsItsOwnManagementPort() {
    throw new IllegalStateException("Hawtio and Jolokia need their own management port: set "
        + "management.server.port (MANAGEMENT_SERVER_PORT) to a port other than server.port, or -1 to serve none");
  }
}
