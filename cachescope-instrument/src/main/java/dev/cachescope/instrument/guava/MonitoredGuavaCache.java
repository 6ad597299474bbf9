package dev.cachescope.instrument.guava;

import com.google.common.cache.Cache;
import com.google.common.cache.ForwardingCache;
import com.google.common.collect.ImmutableMap;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import dev.cachescope.instrument.MapMonitoring;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import org.jspecify.annotations.Nullable;

/** A Guava {@link Cache} that records lookups, loads, writes and removals; see GuavaMonitoring. */
class MonitoredGuavaCache<K, V> extends ForwardingCache<K, V> {
  private final Cache<K, V> delegate;
  final CacheMonitor monitor;
  private final ConcurrentMap<K, V> asMap;

  MonitoredGuavaCache(Cache<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.asMap = MapMonitoring.view(delegate.asMap(), monitor);
  }

  @Override
  protected Cache<K, V> delegate() {
    return delegate;
  }

  @Override
  public @Nullable V getIfPresent(Object key) {
    long start = monitor.startLookup();
    V value = delegate.getIfPresent(key);
    if (value != null) {
      monitor.recordHit(start, Source.MEMORY, key);
    } else {
      monitor.recordMiss(start, null, key);
    }
    return value;
  }

  @Override
  public V get(K key, Callable<? extends V> loader) throws ExecutionException {
    if (isPresent(key)) {
      return delegate.get(key, loader);
    }
    return delegate.get(
        key,
        () -> {
          long start = monitor.startTimed();
          try {
            V value = loader.call();
            monitor.recordLoad(start, value != null, key);
            return value;
          } catch (Exception | Error e) {
            monitor.recordLoad(start, false, key);
            throw e;
          }
        });
  }

  @Override
  public ImmutableMap<K, V> getAllPresent(Iterable<? extends Object> keys) {
    long start = monitor.startLookup();
    ImmutableMap<K, V> present = delegate.getAllPresent(keys);
    recordBulkLookup(start, keys, present);
    return present;
  }

  /** Looks the key up and records a hit or a miss. */
  final boolean isPresent(K key) {
    long start = monitor.startLookup();
    boolean present = delegate.getIfPresent(key) != null;
    if (present) {
      monitor.recordHit(start, Source.MEMORY, key);
    } else {
      monitor.recordMiss(start, Source.FRESH, key);
    }
    return present;
  }

  /** Records a hit or a miss per distinct key; returns whether any key missed. */
  final boolean recordBulkLookup(long start, Iterable<?> keys, Map<?, ?> present) {
    Set<Object> distinct = new LinkedHashSet<>();
    keys.forEach(distinct::add);
    boolean missed = false;
    for (Object key : distinct) {
      if (present.containsKey(key)) {
        monitor.recordHit(start, Source.MEMORY, key);
      } else {
        monitor.recordMiss(start, null, key);
        missed = true;
      }
    }
    return missed;
  }

  @Override
  public void put(K key, V value) {
    long start = monitor.startTimed();
    delegate.put(key, value);
    monitor.recordPut(start, key, -1);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    long start = monitor.startTimed();
    delegate.putAll(map);
    for (K key : map.keySet()) {
      monitor.recordPut(start, key, -1);
    }
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
    long start = monitor.startTimed();
    delegate.invalidateAll();
    monitor.recordClear(start);
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
