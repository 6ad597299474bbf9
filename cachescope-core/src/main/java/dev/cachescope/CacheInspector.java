package dev.cachescope;

import java.util.List;
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

  /**
   * The most entries the cache holds (its maximum size), or {@code -1} when it has no bound or does
   * not say (the default). Sizing advice is given relative to it, else to the entry count.
   */
  default long capacity(C cache) {
    return -1;
  }

  /**
   * How long an entry lives after it is written or last read, in nanoseconds, or {@code -1} when
   * entries do not expire or the cache does not say (the default). TTL advice needs it.
   */
  default long ttlNanos(C cache) {
    return -1;
  }

  /**
   * Up to {@code limit} of the cache's entries, for measuring their memory. Must not count as
   * access to the cache (no statistics, expiry or eviction effects); return an empty list when that
   * cannot be promised (the default). Called at most once a minute, off the hot path.
   */
  default List<? extends Map.Entry<?, ?>> sampleEntries(C cache, int limit) {
    return List.of();
  }

  /** Cache-specific metrics for {@link CacheSnapshot#customMetrics()}; empty by default. */
  default Map<String, Object> customMetrics(C cache) {
    return Map.of();
  }
}
