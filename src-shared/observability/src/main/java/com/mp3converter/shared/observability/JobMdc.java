package com.mp3converter.shared.observability;

import java.util.HashMap;
import java.util.Map;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.spi.InterceptStrategy;
import org.apache.camel.support.processor.DelegateAsyncProcessor;
import org.slf4j.MDC;

/**
 * Puts {@value #ROUTE_ID}, {@value #JOB_ID} and {@value #USER_ID} in the logging MDC around every step of every
 * route, so each line a step writes (its own log, a bean's, a component's) names the route and the job it
 * handles (JobKeys). The values are set on the thread that runs the step and restored to what they were when it
 * returns, whatever happens: nothing leaks to the next exchange on that thread, nor between the services that
 * share one JVM in the local run. A step that continues on another thread sets them again there, at its own step.
 */
public final class JobMdc implements InterceptStrategy {
  public static final String ROUTE_ID = "routeId";
  public static final String JOB_ID = "jobId";
  public static final String USER_ID = "userId";

  @Override
  public Processor wrapProcessorInInterceptors(
      CamelContext context, NamedNode definition, Processor target, Processor nextTarget) {
    return new Step(target, routeId(definition));
  }

  /** The id of the route a step belongs to: the outermost node above it. */
  static String routeId(NamedNode step) {
    NamedNode node = step;
    while (node.getParent() != null) {
      node = node.getParent();
    }
    return node == step ? null : node.getId();
  }

  private static final class Step extends DelegateAsyncProcessor {
    private final String routeId;

    Step(Processor target, String routeId) {
      super(target);
      this.routeId = routeId;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
      JobKeys.Ids ids = JobKeys.of(exchange);
      Map<String, String> previous = new HashMap<>(4);
      put(previous, ROUTE_ID, routeId);
      put(previous, JOB_ID, ids.jobId());
      put(previous, USER_ID, ids.userId());
      try {
        return super.process(exchange, callback);
      } finally {
        previous.forEach((key, value) -> {
          if (value == null) {
            MDC.remove(key);
          } else {
            MDC.put(key, value);
          }
        });
      }
    }

    private static void put(Map<String, String> previous, String key, String value) {
      previous.put(key, MDC.get(key));
      if (value == null) {
        MDC.remove(key);
      } else {
        MDC.put(key, value);
      }
    }
  }
}
