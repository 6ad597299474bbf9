package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.cachescope.CacheMonitor;
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
    long start = recorder.startLookup();
    V value = loading.getIfPresent(key);
    recorder.lookup(start, key, value != null, /* willLoad= */ true);
    return value != null ? value : recorder.load(key, () -> loading.get(key));
  }

  @Override
  public Map<K, V> getAll(Iterable<? extends K> keys) {
    long start = recorder.startLookup();
    Map<K, V> present = loading.getAllPresent(keys);
    boolean missed = recorder.bulkLookup(start, keys, present, /* willLoad= */ true);
    return missed ? recorder.load(null, () -> loading.getAll(keys)) : loading.getAll(keys);
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
