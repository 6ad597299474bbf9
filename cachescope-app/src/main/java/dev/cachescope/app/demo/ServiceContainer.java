package dev.cachescope.app.demo;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The design's ServiceContainer (§1.2): expensive to build, built once. The demo memoizes it with
 * {@code Memoized.supplier}, the Java form of {@code @lru_cache(maxsize=1)}.
 */
public final class ServiceContainer {
  private static final List<String> SERVICES =
      List.of("definition_generator", "validator", "repository", "web_lookup", "prompt_builder");

  private final List<String> services;

  /** Builds the services; takes about 250 ms, as a real container wiring clients would. */
  public ServiceContainer() {
    LockSupport.parkNanos(250_000_000L);
    this.services = SERVICES;
  }

  /** The names of the services it holds. */
  public List<String> services() {
    return services;
  }
}
