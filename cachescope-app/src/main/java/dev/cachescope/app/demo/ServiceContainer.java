package dev.cachescope.app.demo;

import java.util.concurrent.locks.LockSupport;

/**
 * The seed design's ServiceContainer: expensive to build, built once. The demo memoizes it with
 * {@code Memoized.supplier}, the Java form of {@code @lru_cache(maxsize=1)}.
 */
public final class ServiceContainer {
  /**
   * Wires the application's services (definition generator, validator, repository, web lookup,
   * prompt builder); simulated by the 250 ms such wiring takes.
   */
  public ServiceContainer() {
    LockSupport.parkNanos(250_000_000L);
  }
}
