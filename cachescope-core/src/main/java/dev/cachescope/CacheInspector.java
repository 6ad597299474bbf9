package dev.cachescope;

import java.util.Map;

/**
 * Reads a cache's state for its snapshots: entry count, memory and cache-specific metrics. Called
 * when a snapshot is taken, never on the hot path; a call that throws is counted as a monitoring
 * fault and the snapshot reports what it could read.
 *
 * <p>The monitor holds the cache weakly; an inspector must not capture the cache itself, only
 * receive it as the argument.
 *
 * @param <C> the cache type
 */
@FunctionalInterface
public interface CacheInspector<C> {
  /** The number of entries, exact or estimated as cheaply as the cache allows. */
  long entries(C cache);

  /** The memory the entries take in bytes, or {@code -1} when unknown (the default). */
  default long memoryBytes(C cache) {
    return -1;
  }

  /** Cache-specific metrics for {@link CacheSnapshot#customMetrics()}; empty by default. */
  default Map<String, Object> customMetrics(C cache) {
    return Map.of();
  }
}
