package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.RemovalListener;
import dev.cachescope.CacheMonitor;
import dev.cachescope.EvictionCause;
import org.jspecify.annotations.Nullable;

/**
 * Caffeine's eviction listener, which it calls synchronously for every entry it evicts (never for
 * explicit removals or replacements), counting the eviction by cause.
 */
final class EvictionCounter implements RemovalListener<Object, Object> {
  private final CacheMonitor monitor;

  EvictionCounter(CacheMonitor monitor) {
    this.monitor = monitor;
  }

  @Override
  public void onRemoval(@Nullable Object key, @Nullable Object value, RemovalCause cause) {
    record(monitor, cause, key);
  }

  static void record(CacheMonitor monitor, RemovalCause cause, @Nullable Object key) {
    switch (cause) {
      case SIZE -> monitor.recordEviction(EvictionCause.SIZE, key);
      case EXPIRED -> monitor.recordEviction(EvictionCause.EXPIRED, key);
      case COLLECTED -> monitor.recordEviction(EvictionCause.COLLECTED, key);
      case EXPLICIT, REPLACED -> {}
    }
  }
}
