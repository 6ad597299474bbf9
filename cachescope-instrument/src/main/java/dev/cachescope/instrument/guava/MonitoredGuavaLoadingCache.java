package dev.cachescope.instrument.guava;

import com.google.common.cache.LoadingCache;
import com.google.common.collect.ImmutableMap;
import dev.cachescope.CacheMonitor;
import java.util.concurrent.ExecutionException;

/** A Guava {@link LoadingCache} that records lookups, loads, writes and removals. */
final class MonitoredGuavaLoadingCache<K, V> extends MonitoredGuavaCache<K, V>
    implements LoadingCache<K, V> {
  private final LoadingCache<K, V> loading;

  MonitoredGuavaLoadingCache(LoadingCache<K, V> delegate, CacheMonitor monitor) {
    super(delegate, monitor);
    this.loading = delegate;
  }

  @Override
  public V get(K key) throws ExecutionException {
    return isPresent(key) ? loading.get(key) : recorder.load(key, () -> loading.get(key));
  }

  @Override
  public V getUnchecked(K key) {
    return isPresent(key)
        ? loading.getUnchecked(key)
        : recorder.load(key, () -> loading.getUnchecked(key));
  }

  @Override
  public ImmutableMap<K, V> getAll(Iterable<? extends K> keys) throws ExecutionException {
    long start = recorder.startLookup();
    boolean missed =
        recorder.bulkLookup(start, keys, loading.getAllPresent(keys), /* willLoad= */ true);
    return missed ? recorder.load(null, () -> loading.getAll(keys)) : loading.getAll(keys);
  }

  /**
   * @deprecated as in Guava: use {@link #get} or {@link #getUnchecked}.
   */
  @Deprecated
  @Override
  @SuppressWarnings("InlineMeSuggester") // overrides Guava's deprecated method; not our API
  public V apply(K key) {
    return getUnchecked(key);
  }

  @Override
  public void refresh(K key) {
    loading.refresh(key);
  }
}
