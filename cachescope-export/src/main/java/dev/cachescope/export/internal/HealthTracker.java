package dev.cachescope.export.internal;

import dev.cachescope.export.BackendHealth;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The state of one backend: logs a warning when it starts failing and once when it recovers, not on
 * every failed attempt, and counts the failures. Thread-safe.
 */
public final class HealthTracker {
  private static final Logger LOG = LoggerFactory.getLogger("dev.cachescope.export");

  private final String backend;
  private String state = "ok";
  private @Nullable String detail;
  private double since = now();
  private long failures;

  public HealthTracker(String backend, @Nullable String detail) {
    this.backend = backend;
    this.detail = detail;
  }

  public synchronized void ok(@Nullable String newDetail) {
    if (!state.equals("ok")) {
      LOG.info("cachescope {} backend recovered: {}", backend, newDetail);
      state = "ok";
      since = now();
    }
    detail = newDetail;
  }

  public synchronized void failed(String what, Throwable cause) {
    failures++;
    String newDetail = what + ": " + cause;
    if (state.equals("ok")) {
      LOG.warn(
          "cachescope {} backend failing, the application is unaffected; retrying: {}",
          backend,
          newDetail);
      state = "failing";
      since = now();
    }
    detail = newDetail;
  }

  public synchronized BackendHealth health() {
    return new BackendHealth(backend, state, detail, since, failures);
  }

  private static double now() {
    return System.currentTimeMillis() / 1000.0;
  }
}
