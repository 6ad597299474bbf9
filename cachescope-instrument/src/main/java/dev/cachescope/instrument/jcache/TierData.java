package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheInspector;
import javax.cache.Cache;

/**
 * What a provider's own statistics add to a monitored JCache: counters that refine each lookup, and
 * the snapshot's entries, memory and custom metrics. Free of provider types, so that code using it
 * loads without the provider on the class path.
 */
record TierData(
    MonitoredJCache.StatisticsProbe probe,
    CacheInspector<Cache<?, ?>> inspector,
    Departures departures) {

  /** Entries that left the cache by themselves so far, as its authoritative tier counts them. */
  interface Departures {
    /** Evicted for room: entries gone from the cache, not moved between its tiers. */
    long evicted();

    /** Expired. */
    long expired();
  }
}
