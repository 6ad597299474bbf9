package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.cachescope.CacheMonitor;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A Caffeine {@link AsyncLoadingCache} that records lookups, loads, writes and removals. */
final class MonitoredAsyncLoadingCache<K, V> extends MonitoredAsyncCache<K, V>
    implements AsyncLoadingCache<K, V> {
  private final AsyncLoadingCache<K, V> loading;
  private final LoadingCache<K, V> synchronous;

  MonitoredAsyncLoadingCache(AsyncLoadingCache<K, V> delegate, CacheMonitor monitor) {
    super(delegate, monitor);
    this.loading = delegate;
    this.synchronous = new MonitoredLoadingCache<>(delegate.synchronous(), monitor);
  }

  @Override
  public CompletableFuture<V> get(K key) {
    CompletableFuture<V> present = presentOrMiss(key);
    return present != null ? present : timed(key, loading.get(key));
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(Iterable<? extends K> keys) {
    boolean missed = recordBulkLookup(keys);
    CompletableFuture<Map<K, V>> all = loading.getAll(keys);
    return missed ? timed(null, all) : all;
  }

  @Override
  public LoadingCache<K, V> synchronous() {
    return synchronous;
  }
}
