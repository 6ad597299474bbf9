package dev.cachescope;

/**
 * Hears which caches a {@link MetricsAggregator} holds, for exporters that create something per
 * cache (Micrometer meters, say). Called on the registering or unregistering thread; an exception
 * is logged and otherwise ignored.
 */
public interface RegistrationListener {
  /** {@code monitor} was registered; also called for each monitor present when added. */
  void registered(CacheMonitor monitor);

  /** The cache called {@code name} was unregistered or its cache garbage collected. */
  void unregistered(String name);
}
