package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Source;
import dev.cachescope.instrument.MapMonitoring;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A Caffeine {@link Cache} that records lookups, writes and removals; see CaffeineMonitoring. */
class MonitoredCache<K, V> implements Cache<K, V> {
  final Cache<K, V> delegate;
  final CacheMonitor monitor;
  private final ConcurrentMap<K, V> asMap;

  MonitoredCache(Cache<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.asMap = MapMonitoring.view(delegate.asMap(), monitor);
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    long start = monitor.startLookup();
    V value = delegate.getIfPresent(key);
    recordLookup(start, key, value != null);
    return value;
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> mappingFunction) {
    long start = monitor.startLookup();
    V value = delegate.getIfPresent(key);
    if (value != null) {
      monitor.recordHit(start, Source.MEMORY, key);
      return value;
    }
    monitor.recordMiss(start, Source.FRESH, key);
    return delegate.get(key, new TimedLoad<>(mappingFunction, monitor));
  }

  @Override
  public Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    long start = monitor.startLookup();
    Map<K, V> present = delegate.getAllPresent(keys);
    recordBulkLookup(start, keys, present);
    return present;
  }

  @Override
  public Map<K, V> getAll(
      Iterable<? extends K> keys,
      Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> mappingFunction) {
    long start = monitor.startLookup();
    recordBulkLookup(start, keys, delegate.getAllPresent(keys));
    return delegate.getAll(keys, new TimedLoad<>(mappingFunction, monitor));
  }

  final void recordLookup(long start, Object key, boolean hit) {
    if (hit) {
      monitor.recordHit(start, Source.MEMORY, key);
    } else {
      monitor.recordMiss(start, null, key);
    }
  }

  final void recordBulkLookup(long start, Iterable<? extends K> keys, Map<K, ?> present) {
    Set<K> distinct = new LinkedHashSet<>();
    keys.forEach(distinct::add);
    for (K key : distinct) {
      recordLookup(start, key, present.containsKey(key));
    }
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
  public void invalidate(K key) {
    // Caffeine defines invalidate(key) as asMap().remove(key); the map view counts the removal.
    asMap.remove(key);
  }

  @Override
  public void invalidateAll(Iterable<? extends K> keys) {
    for (K key : keys) {
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
  public long estimatedSize() {
    return delegate.estimatedSize();
  }

  @Override
  public CacheStats stats() {
    return delegate.stats();
  }

  @Override
  public ConcurrentMap<K, V> asMap() {
    return asMap;
  }

  @Override
  public void cleanUp() {
    delegate.cleanUp();
  }

  @Override
  public Policy<K, V> policy() {
    return delegate.policy();
  }

  @Override
  public String toString() {
    return "Monitored[" + monitor.name() + "] " + delegate;
  }
}
