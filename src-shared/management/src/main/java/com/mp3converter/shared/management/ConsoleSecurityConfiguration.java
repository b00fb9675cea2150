package com.mp3converter.shared.management;

import static org.springframework.security.config.Customizer.withDefaults;

import com.mp3converter.shared.management.ConsoleProperties.ConsoleUser;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.actuate.health.HealthEndpoint;
import org.springframework.boot.actuate.info.InfoEndpoint;
import org.springframework.boot.actuate.metrics.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.boot.autoconfigure.security.SecurityProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.DelegatingFilterProxyRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.AbstractSecurityWebApplicationInitializer;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;

/**
 * The login of the management port, the way hawtio-springboot documents it (Spring Security with a form login,
 * HTTP Basic for scripts, the single-page-application CSRF token Hawtio sends back). It lives in the management
 * port's own context ({@link ManagementContextType#CHILD}), so the API port keeps no Spring Security at all
 * ({@link ApiPortWithoutSecurity}).
 * <ul>
 *   <li>Health, info and Prometheus stay open: probes and scrapers carry no credentials.
 *   <li>Everything else (Hawtio, Jolokia, the endpoint list) needs a console user ({@link ConsoleProperties});
 *       the users' passwords are kept hashed. Without any user it refuses everyone, and says so once.
 *   <li>What a user may do inside Jolokia is {@link ConsoleRestrictor}'s: the policy, then the role.
 * </ul>
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@EnableWebSecurity
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleSecurityConfiguration {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleSecurityConfiguration.class);

  @Bean
  UserDetailsService consoleUsers(ConsoleProperties console) {
    PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
    List<ConsoleUser> users = console.users();
    if (users.isEmpty()) {
      LOG.warn("Hawtio and Jolokia are closed on this management port: no console user has a password "
          + "(set MP3_HAWTIO_VIEWER_PASSWORD and/or MP3_HAWTIO_ADMIN_PASSWORD)");
    } else {
      LOG.info("Hawtio console users: {}", users.stream()
          .map(u -> u.user().name() + " " + u.roles()).toList());
    }
    return new InMemoryUserDetailsManager(users.stream()
        .map(u -> (UserDetails) User.withUsername(u.user().name())
            .password(encoder.encode(u.user().password()))
            .roles(u.roles().toArray(String[]::new))
            .build())
        .toList());
  }

  @Bean
  SecurityFilterChain managementPortSecurity(HttpSecurity http, WebEndpointProperties endpoints) throws Exception {
    String console = endpoints.getBasePath() + "/hawtio/";
    return http
        .authorizeHttpRequests(requests -> requests
            .requestMatchers(EndpointRequest.to(HealthEndpoint.class, InfoEndpoint.class,
                PrometheusScrapeEndpoint.class)).permitAll()
            .anyRequest().hasRole(ConsoleRoles.VIEWER))
        .formLogin(login -> login.defaultSuccessUrl(console, false).permitAll())
        .httpBasic(withDefaults())
        .csrf(HawtioCsrf::configure)
        .addFilterAfter(new HawtioCsrf.CookieWriter(), BasicAuthenticationFilter.class)
        .build();
  }

  /** Spring Security in front of everything the management port serves, Hawtio's own filters and Jolokia included. */
  @Bean
  DelegatingFilterProxyRegistrationBean managementPortSecurityFilter() {
    var registration = new DelegatingFilterProxyRegistrationBean(
        AbstractSecurityWebApplicationInitializer.DEFAULT_FILTER_NAME);
    registration.setOrder(SecurityProperties.DEFAULT_FILTER_ORDER);
    registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
    return registration;
  }

  @Bean
  ConsoleRestrictor consoleRestrictor() {
    return new ConsoleRestrictor();
  }
}
