package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheMonitor;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import javax.cache.Cache;

/**
 * A JCache cache whose provider is Caffeine's: snapshots read the Caffeine cache underneath (its
 * entries, bound, TTL and an entry sample for memory) like any Caffeine cache, and sizing simulates
 * its policy. Loaded only when Caffeine is on the class path.
 */
final class CaffeineUnderneath {
  private CaffeineUnderneath() {}

  /**
   * Binds the monitor to the Caffeine cache behind {@code cache}; false when there is none (the
   * provider is not Caffeine's, or it refuses to unwrap).
   */
  static boolean bind(CacheMonitor monitor, Cache<?, ?> cache) {
    com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine;
    try {
      caffeine = cache.unwrap(com.github.benmanes.caffeine.cache.Cache.class);
    } catch (IllegalArgumentException notCaffeine) {
      return false;
    }
    monitor.inspect(caffeine, CaffeineMonitoring.inspector());
    monitor.simulate(CaffeineMonitoring.sizingModel(caffeine));
    return true;
  }
}
