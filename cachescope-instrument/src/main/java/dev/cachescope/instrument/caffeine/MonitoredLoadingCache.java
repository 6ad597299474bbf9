package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A Caffeine {@link LoadingCache} that records lookups, loads, writes and removals. */
final class MonitoredLoadingCache<K, V> extends MonitoredCache<K, V> implements LoadingCache<K, V> {
  private final LoadingCache<K, V> loading;

  MonitoredLoadingCache(LoadingCache<K, V> delegate, CacheMonitor monitor) {
    super(delegate, monitor);
    this.loading = delegate;
  }

  @Override
  public V get(K key) {
    long start = monitor.startLookup();
    V value = loading.getIfPresent(key);
    if (value != null) {
      monitor.recordHit(start, Source.MEMORY, key);
      return value;
    }
    monitor.recordMiss(start, Source.FRESH, key);
    long loadStart = monitor.startTimed();
    try {
      value = loading.get(key);
    } catch (RuntimeException | Error e) {
      monitor.recordLoad(loadStart, false, key);
      throw e;
    }
    monitor.recordLoad(loadStart, value != null, key);
    return value;
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    long start = monitor.startLookup();
    Map<K, V> present = loading.getAllPresent(keys);
    recordBulkLookup(start, keys, present);
    long loadStart = monitor.startTimed();
    Map<K, V> all;
    try {
      all = loading.getAll(keys);
    } catch (RuntimeException | Error e) {
      monitor.recordLoad(loadStart, false, null);
      throw e;
    }
    if (all.size() > present.size()) {
      monitor.recordLoad(loadStart, true, null);
    }
    return all;
  }

  @Override
  public CompletableFuture<V> refresh(K key) {
    return loading.refresh(key);
  }

  @Override
  public CompletableFuture<Map<K, V>> refreshAll(Iterable<? extends K> keys) {
    return loading.refreshAll(keys);
  }
}
