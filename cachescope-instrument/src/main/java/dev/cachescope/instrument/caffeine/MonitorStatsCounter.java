package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import com.github.benmanes.caffeine.cache.stats.StatsCounter;
import dev.cachescope.CacheMonitor;
import dev.cachescope.CacheSnapshot;
import dev.cachescope.LatencySummary;
import dev.cachescope.Source;

/**
 * Caffeine's own statistics hook, reporting to a {@link CacheMonitor}: the way to monitor a cache
 * without a wrapper. Caffeine calls it for every hit and miss, every load (with the time it
 * measured, refreshes included) and every eviction (with its cause).
 */
final class MonitorStatsCounter implements StatsCounter {
  private final CacheMonitor monitor;

  MonitorStatsCounter(CacheMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void recordHits(int count) {
    for (int i = 0; i < count; i++) {
      monitor.recordHit(CacheMonitor.NOT_TIMED, Source.MEMORY, null);
    }
  }

  @Override
  public void recordMisses(int count) {
    for (int i = 0; i < count; i++) {
      monitor.recordMiss(CacheMonitor.NOT_TIMED, null, null);
    }
  }

  @Override
  public void recordLoadSuccess(long loadTime) {
    monitor.recordLoadTime(loadTime, true, null);
  }

  @Override
  public void recordLoadFailure(long loadTime) {
    monitor.recordLoadTime(loadTime, false, null);
  }

  @Override
  public void recordEviction(int weight, RemovalCause cause) {
    EvictionCounter.record(monitor, cause, null);
  }

  /** Caffeine's {@code CacheStats}, computed from the monitor, so {@code cache.stats()} works. */
  @Override
  public CacheStats snapshot() {
    CacheSnapshot s = monitor.snapshot();
    LatencySummary load = s.latencyMs().get("load");
    long totalLoadNanos = load == null ? 0 : (long) (load.meanMs() * 1e6 * load.count());
    return CacheStats.of(
        s.hits(),
        s.misses(),
        s.loads(),
        s.loadFailures(),
        totalLoadNanos,
        s.evictions(),
        s.evictions());
  }

  @Override
  public String toString() {
    return "cachescope StatsCounter for '" + monitor.name() + "'";
  }
}
