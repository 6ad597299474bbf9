package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.EvictionCause;
import java.util.List;
import java.util.Map;
import javax.cache.Cache;

/**
 * An inspector that also reports the entries a tiered cache dropped by itself since the last read
 * to the monitor, as evictions by cause, from the counts of its authoritative tier (JCache gives an
 * adapter no eviction events of its own). Counts start at zero when monitoring starts; they are
 * brought up to date whenever the cache is read for a snapshot or a memory measurement.
 */
final class DepartureCounter implements CacheInspector<Cache<?, ?>> {
  private final CacheInspector<Cache<?, ?>> inspector;
  private final TierData.Departures departures;
  private final CacheMonitor monitor;
  private long evicted;
  private long expired;

  DepartureCounter(
      CacheInspector<Cache<?, ?>> inspector, TierData.Departures departures, CacheMonitor monitor) {
    this.inspector = inspector;
    this.departures = departures;
    this.monitor = monitor;
    this.evicted = departures.evicted();
    this.expired = departures.expired();
  }

  @Override
  public long entries(Cache<?, ?> cache) {
    catchUp();
    return inspector.entries(cache);
  }

  @Override
  public long memoryBytes(Cache<?, ?> cache) {
    return inspector.memoryBytes(cache);
  }

  @Override
  public Map<String, Object> customMetrics(Cache<?, ?> cache) {
    return inspector.customMetrics(cache);
  }

  @Override
  public long capacity(Cache<?, ?> cache) {
    return inspector.capacity(cache);
  }

  @Override
  public long ttlNanos(Cache<?, ?> cache) {
    return inspector.ttlNanos(cache);
  }

  @Override
  public List<? extends Map.Entry<?, ?>> sampleEntries(Cache<?, ?> cache, int limit) {
    return inspector.sampleEntries(cache, limit);
  }

  private synchronized void catchUp() {
    long nowEvicted = departures.evicted();
    long nowExpired = departures.expired();
    monitor.recordEvictions(EvictionCause.SIZE, nowEvicted - evicted);
    monitor.recordEvictions(EvictionCause.EXPIRED, nowExpired - expired);
    evicted = Math.max(evicted, nowEvicted);
    expired = Math.max(expired, nowExpired);
  }
}
