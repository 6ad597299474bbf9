package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.instrument.CacheRecorder;
import dev.cachescope.instrument.MapMonitoring;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/** A Caffeine {@link Cache} that records lookups, writes and removals; see CaffeineMonitoring. */
class MonitoredCache<K, V> implements Cache<K, V> {
  final Cache<K, V> delegate;
  final CacheMonitor monitor;
  final CacheRecorder recorder;
  private final ConcurrentMap<K, V> asMap;

  MonitoredCache(Cache<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.recorder = CacheRecorder.of(monitor);
    this.asMap = MapMonitoring.view(delegate.asMap(), monitor);
  }

  @Override
  public @Nullable V getIfPresent(K key) {
    long start = recorder.startLookup();
    V value = delegate.getIfPresent(key);
    recorder.lookup(start, key, value != null, /* willLoad= */ false);
    return value;
  }

  @Override
  public V get(K key, Function<? super K, ? extends V> mappingFunction) {
    long start = recorder.startLookup();
    V value = delegate.getIfPresent(key);
    recorder.lookup(start, key, value != null, /* willLoad= */ true);
    return value != null ? value : delegate.get(key, recorder.loadingKey(mappingFunction));
  }

  @Override
  public Map<K, V> getAllPresent(Iterable<? extends K> keys) {
    long start = recorder.startLookup();
    Map<K, V> present = delegate.getAllPresent(keys);
    recorder.bulkLookup(start, keys, present, /* willLoad= */ false);
    return present;
  }

  @Override
  public Map<K, V> getAll(
      Iterable<? extends K> keys,
      Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> mappingFunction) {
    long start = recorder.startLookup();
    recorder.bulkLookup(start, keys, delegate.getAllPresent(keys), /* willLoad= */ true);
    return delegate.getAll(keys, recorder.loadingAll(mappingFunction));
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
    recorder.write(Operation.CLEAR, null, delegate::invalidateAll);
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
