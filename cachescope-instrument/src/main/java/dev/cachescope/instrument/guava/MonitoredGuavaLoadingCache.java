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

  /** The loading step of a {@code get}, which may throw what Guava throws. */
  private interface Load<T> {
    T run() throws ExecutionException;
  }

  private <T> T timedLoad(Object key, Load<T> load) throws ExecutionException {
    long start = monitor.startTimed();
    try {
      T value = load.run();
      monitor.recordLoad(start, true, key);
      return value;
    } catch (ExecutionException | RuntimeException | Error e) {
      monitor.recordLoad(start, false, key);
      throw e;
    }
  }

  @Override
  public V get(K key) throws ExecutionException {
    return isPresent(key) ? loading.get(key) : timedLoad(key, () -> loading.get(key));
  }

  @Override
  public V getUnchecked(K key) {
    if (isPresent(key)) {
      return loading.getUnchecked(key);
    }
    long start = monitor.startTimed();
    try {
      V value = loading.getUnchecked(key);
      monitor.recordLoad(start, true, key);
      return value;
    } catch (RuntimeException | Error e) {
      monitor.recordLoad(start, false, key);
      throw e;
    }
  }

  @Override
  public ImmutableMap<K, V> getAll(Iterable<? extends K> keys) throws ExecutionException {
    long start = monitor.startLookup();
    boolean missed = recordBulkLookup(start, keys, loading.getAllPresent(keys));
    return missed ? timedLoad(keys, () -> loading.getAll(keys)) : loading.getAll(keys);
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
