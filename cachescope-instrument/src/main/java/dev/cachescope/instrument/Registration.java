package dev.cachescope.instrument;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;

/** Builds a monitor bound to a cache and registers it: the step every adapter shares. */
public final class Registration {
  private Registration() {}

  /**
   * Binds {@code cache} to a monitor built from {@code options} and registers it.
   *
   * @throws IllegalArgumentException if the aggregator already has a cache of that name
   */
  public static <C> CacheMonitor register(
      MetricsAggregator aggregator,
      CacheMonitor.Builder options,
      C cache,
      CacheInspector<? super C> inspector) {
    return aggregator.register(options.inspect(cache, inspector).build());
  }
}
