package com.mp3converter.shared.management;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import javax.management.ObjectName;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Jolokia lets the console reach: the access policy {@value #POLICY} (Camel's and the JVM's MBeans; nothing
 * that holds configuration secrets: Spring's environment and configuration-properties MBeans, system
 * properties, the JVM's arguments and diagnostic commands), and within it the user's role ({@link ConsoleRoles}):
 * operations that act are the admin's. Jolokia takes it as the management context's {@link Restrictor} bean.
 */
public final class ConsoleRestrictor implements Restrictor {
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRestrictor.class);
  public static final String POLICY = "mp3-jolokia-access.xml";

  private final PolicyRestrictor policy;

  public ConsoleRestrictor() {
    try (InputStream in = ConsoleRestrictor.class.getClassLoader().getResourceAsStream(POLICY)) {
      if (in == null) {
        throw new IllegalStateException(POLICY + " is not on the classpath");
      }
      policy = new PolicyRestrictor(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + POLICY, e);
    }
  }

  @Override
  public boolean isOperationAllowed(ObjectName name, String operation) {
    boolean allowed = policy.isOperationAllowed(name, operation) && ConsoleRoles.mayCall(operation);
    if (!allowed) {
      LOG.info("Jolokia refused {} on {} to {}", operation, name, ConsoleRoles.currentUser());
    }
    return allowed;
  }

  @Override
  public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
    return policy.isAttributeWriteAllowed(name, attribute) && ConsoleRoles.currentUserIs(ConsoleRoles.ADMIN);
  }

  @Override
  public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
    return policy.isAttributeReadAllowed(name, attribute);
  }

  @Override
  public boolean isHttpMethodAllowed(HttpMethod method) {
    return policy.isHttpMethodAllowed(method);
  }

  @Override
  public boolean isTypeAllowed(RequestType type) {
    return policy.isTypeAllowed(type);
  }

  @Override
  public boolean isRemoteAccessAllowed(String... hostOrAddress) {
    return policy.isRemoteAccessAllowed(hostOrAddress);
  }

  @Override
  public boolean isOriginAllowed(String origin, boolean onlyWhenStrictCheckingIsEnabled) {
    return policy.isOriginAllowed(origin, onlyWhenStrictCheckingIsEnabled);
  }

  @Override
  public boolean isObjectNameHidden(ObjectName name) {
    return policy.isObjectNameHidden(name);
  }
}
