package dev.cachescope.instrument.guava;

import com.google.common.cache.Cache;
import com.google.common.cache.ForwardingCache;
import com.google.common.collect.ImmutableMap;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.instrument.CacheRecorder;
import dev.cachescope.instrument.MapMonitoring;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** A Guava {@link Cache} that records lookups, loads, writes and removals; see GuavaMonitoring. */
class MonitoredGuavaCache<K, V> extends ForwardingCache<K, V> {
  private final Cache<K, V> delegate;
  final CacheMonitor monitor;
  final CacheRecorder recorder;
  private final ConcurrentMap<K, V> asMap;

  MonitoredGuavaCache(Cache<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.recorder = CacheRecorder.of(monitor);
    this.asMap = MapMonitoring.view(delegate.asMap(), monitor);
  }

  @Override
  protected Cache<K, V> delegate() {
    return delegate;
  }

  @Override
  public @Nullable V getIfPresent(Object key) {
    long start = recorder.startLookup();
    V value = delegate.getIfPresent(key);
    recorder.lookup(start, key, value != null, /* willLoad= */ false);
    return value;
  }

  @Override
  public V get(K key, Callable<? extends V> loader) throws ExecutionException {
    if (isPresent(key)) {
      return delegate.get(key, loader);
    }
    return delegate.get(key, () -> recorder.load(key, loader::call));
  }

  @Override
  public ImmutableMap<K, V> getAllPresent(Iterable<? extends Object> keys) {
    long start = recorder.startLookup();
    ImmutableMap<K, V> present = delegate.getAllPresent(keys);
    recorder.bulkLookup(start, keys, present, /* willLoad= */ false);
    return present;
  }

  /** Looks the key up for a call that loads on a miss, and records a hit or a miss. */
  final boolean isPresent(K key) {
    long start = recorder.startLookup();
    boolean present = delegate.getIfPresent(key) != null;
    recorder.lookup(start, key, present, /* willLoad= */ true);
    return present;
  }

  @Override
  public void put(K key, V value) {
    recorder.write(Operation.SET, key, () -> delegate.put(key, value));
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    long start = recorder.startWrite();
    delegate.putAll(map);
    recorder.wroteAll(start, map.keySet());
  }

  @Override
  public void invalidate(Object key) {
    // Guava's invalidate(key) removes the key from the map; the view counts a real removal.
    asMap.remove(key);
  }

  @Override
  public void invalidateAll(Iterable<? extends Object> keys) {
    for (Object key : keys) {
      asMap.remove(key);
    }
  }

  @Override
  public void invalidateAll() {
    recorder.write(Operation.CLEAR, null, delegate::invalidateAll);
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    return asMap;
  }

  @Override
  public String toString() {
    return "Monitored[" + monitor.name() + "] " + delegate;
  }
}
