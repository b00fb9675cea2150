package com.mp3converter.shared.management;

import static org.assertj.core.api.Assertions.assertThat;

import javax.management.ObjectName;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

/** The Jolokia policy file as shipped, and the roles on top of it. */
class ConsoleRestrictorTest {
  private final ConsoleRestrictor restrictor = new ConsoleRestrictor();

  @AfterEach
  void logOut() {
    SecurityContextHolder.clearContext();
  }

  private static void logIn(String... roles) {
    String[] authorities = java.util.Arrays.stream(roles).map(r -> "ROLE_" + r).toArray(String[]::new);
    var user = new TestingAuthenticationToken("someone", "secret", authorities);
    SecurityContextHolder.getContext().setAuthentication(user);
  }

  private static ObjectName name(String name) throws Exception {
    return new ObjectName(name);
  }

  @Test
  void aViewerReadsRoutesTheirStatisticsAndDiagramsButCannotStopThem() throws Exception {
    logIn(ConsoleRoles.VIEWER);
    ObjectName route = name("org.apache.camel:context=worker,type=routes,name=\"worker-consume\"");
    assertThat(restrictor.isAttributeReadAllowed(route, "ExchangesCompleted")).isTrue();
    assertThat(restrictor.isOperationAllowed(route, "dumpRouteAsXml()")).isTrue();
    assertThat(restrictor.isOperationAllowed(route, "dumpRouteStatsAsXml")).isTrue();
    for (String acting : new String[] {"stop", "start", "suspend", "resume", "stop(long)", "remove"}) {
      assertThat(restrictor.isOperationAllowed(route, acting)).as(acting).isFalse();
    }
  }

  @Test
  void noOneDumpsRoutesWithTheirPlaceholdersResolved() throws Exception {
    logIn(ConsoleRoles.VIEWER, ConsoleRoles.ADMIN);
    ObjectName route = name("org.apache.camel:context=worker,type=routes,name=\"worker-upload\"");
    ObjectName context = name("org.apache.camel:context=worker,type=context,name=\"worker\"");
    // The first boolean is resolvePlaceholders: resolved, the worker's routes would show its S3 secret key.
    for (String resolving : new String[] {"dumpRouteAsXml(boolean)", "dumpRouteAsXml(boolean,boolean)",
        "dumpRouteAsYaml(boolean,boolean)"}) {
      assertThat(restrictor.isOperationAllowed(route, resolving)).as(resolving).isFalse();
    }
    assertThat(restrictor.isOperationAllowed(context, "dumpRoutesAsXml(boolean,boolean)")).isFalse();
    assertThat(restrictor.isOperationAllowed(context, "dumpRoutesAsXml()")).isTrue();
  }

  @Test
  void anAdminAlsoStopsStartsAndSuspendsRoutes() throws Exception {
    logIn(ConsoleRoles.VIEWER, ConsoleRoles.ADMIN);
    ObjectName route = name("org.apache.camel:context=worker,type=routes,name=\"worker-consume\"");
    for (String acting : new String[] {"stop", "start", "suspend", "resume"}) {
      assertThat(restrictor.isOperationAllowed(route, acting)).as(acting).isTrue();
    }
  }

  @Test
  void noOneActsWithoutALogin() throws Exception {
    ObjectName route = name("org.apache.camel:context=worker,type=routes,name=\"worker-consume\"");
    assertThat(restrictor.isOperationAllowed(route, "stop")).isFalse();
  }

  @Test
  void configurationSecretsAreRefusedEvenToTheAdmin() throws Exception {
    logIn(ConsoleRoles.VIEWER, ConsoleRoles.ADMIN);
    ObjectName runtime = name("java.lang:type=Runtime");
    assertThat(restrictor.isAttributeReadAllowed(runtime, "SystemProperties")).isFalse();
    assertThat(restrictor.isAttributeReadAllowed(runtime, "InputArguments")).isFalse();
    assertThat(restrictor.isAttributeReadAllowed(runtime, "Uptime")).isTrue();
    assertThat(restrictor.isAttributeReadAllowed(name("org.springframework.boot:type=Endpoint,name=Env"), "Env"))
        .isFalse();
    assertThat(restrictor.isOperationAllowed(name("org.springframework.boot:type=Endpoint,name=Env"), "environment"))
        .isFalse();
    assertThat(restrictor.isOperationAllowed(
        name("org.springframework.boot:type=Endpoint,name=Configprops"), "configurationProperties")).isFalse();
    assertThat(restrictor.isOperationAllowed(
        name("com.sun.management:type=DiagnosticCommand"), "vmSystemProperties")).isFalse();
    assertThat(restrictor.isOperationAllowed(name("com.sun.management:type=HotSpotDiagnostic"), "dumpHeap"))
        .isFalse();
  }

  @Test
  void onlyCamelTheThreadDumpAndHawtioAcceptOperationsAndNoAttributeIsWritten() throws Exception {
    logIn(ConsoleRoles.VIEWER, ConsoleRoles.ADMIN);
    assertThat(restrictor.isOperationAllowed(name("java.lang:type=Memory"), "gc")).isFalse();
    assertThat(restrictor.isOperationAllowed(name("java.lang:type=Threading"), "dumpAllThreads")).isTrue();
    assertThat(restrictor.isAttributeWriteAllowed(name("java.lang:type=Memory"), "Verbose")).isFalse();
    assertThat(restrictor.isAttributeWriteAllowed(
        name("org.apache.camel:context=worker,type=context,name=\"worker\""), "Tracing")).isFalse();
    assertThat(restrictor.isTypeAllowed(RequestType.WRITE)).isFalse();
  }

  @Test
  void operationsTravelInPostsOnly() {
    assertThat(restrictor.isHttpMethodAllowed(HttpMethod.POST)).isTrue();
    assertThat(restrictor.isHttpMethodAllowed(HttpMethod.GET)).isFalse();
  }
}
