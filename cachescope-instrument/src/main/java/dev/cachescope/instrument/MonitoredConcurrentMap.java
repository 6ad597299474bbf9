package dev.cachescope.instrument;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ConcurrentMap} that records its operations on a {@link CacheMonitor} and otherwise
 * delegates every call. See {@link MapMonitoring} for what is counted.
 */
final class MonitoredConcurrentMap<K, V> implements ConcurrentMap<K, V> {
  private final ConcurrentMap<K, V> delegate;
  private final CacheMonitor monitor;

  MonitoredConcurrentMap(ConcurrentMap<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
  }

  @Override
  public @Nullable V get(Object key) {
    long start = monitor.startLookup();
    V value = delegate.get(key);
    if (value != null) {
      monitor.recordHit(start, Source.MEMORY, key);
    } else {
      monitor.recordMiss(start, null, key);
    }
    return value;
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    V value = get(key);
    return value != null ? value : defaultValue;
  }

  @Override
  public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
    long start = monitor.startLookup();
    V present = delegate.get(key);
    if (present != null) {
      monitor.recordHit(start, Source.MEMORY, key);
      return present;
    }
    LoadingFunction<K, V> loading = new LoadingFunction<>(mappingFunction, monitor);
    V value;
    try {
      value = delegate.computeIfAbsent(key, loading);
    } catch (RuntimeException | Error e) {
      if (loading.invoked) {
        monitor.recordMiss(start, Source.FRESH, key);
      } else {
        monitor.recordError(Operation.GET, start, key);
      }
      throw e;
    }
    if (loading.invoked) {
      monitor.recordMiss(start, Source.FRESH, key);
    } else {
      // Another thread stored the value between the two looks: this caller got a cached value.
      monitor.recordHit(start, Source.MEMORY, key);
    }
    return value;
  }

  @Override
  public @Nullable V put(K key, V value) {
    long start = monitor.startTimed();
    V previous = delegate.put(key, value);
    monitor.recordPut(start, key, -1);
    return previous;
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
  public @Nullable V putIfAbsent(K key, V value) {
    long start = monitor.startTimed();
    V existing = delegate.putIfAbsent(key, value);
    if (existing == null) {
      monitor.recordPut(start, key, -1);
    }
    return existing;
  }

  @Override
  public @Nullable V replace(K key, V value) {
    long start = monitor.startTimed();
    V previous = delegate.replace(key, value);
    if (previous != null) {
      monitor.recordPut(start, key, -1);
    }
    return previous;
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    long start = monitor.startTimed();
    boolean replaced = delegate.replace(key, oldValue, newValue);
    if (replaced) {
      monitor.recordPut(start, key, -1);
    }
    return replaced;
  }

  @Override
  public @Nullable V compute(
      K key, BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remapping) {
    long start = monitor.startTimed();
    V value = delegate.compute(key, remapping);
    recordWrite(start, key, value);
    return value;
  }

  @Override
  public @Nullable V computeIfPresent(
      K key, BiFunction<? super K, ? super V, ? extends @Nullable V> remapping) {
    long start = monitor.startTimed();
    V value = delegate.computeIfPresent(key, remapping);
    recordWrite(start, key, value);
    return value;
  }

  @Override
  public @Nullable V merge(
      K key, V value, BiFunction<? super V, ? super V, ? extends @Nullable V> remapping) {
    long start = monitor.startTimed();
    V merged = delegate.merge(key, value, remapping);
    recordWrite(start, key, merged);
    return merged;
  }

  private void recordWrite(long start, K key, @Nullable V result) {
    if (result != null) {
      monitor.recordPut(start, key, -1);
    }
  }

  @Override
  public @Nullable V remove(Object key) {
    long start = monitor.startTimed();
    V removed = delegate.remove(key);
    if (removed != null) {
      monitor.recordRemoval(start, key);
    }
    return removed;
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    long start = monitor.startTimed();
    boolean removed = delegate.remove(key, value);
    if (removed) {
      monitor.recordRemoval(start, key);
    }
    return removed;
  }

  @Override
  public void clear() {
    long start = monitor.startTimed();
    delegate.clear();
    monitor.recordClear(start);
  }

  @Override
  public int size() {
    return delegate.size();
  }

  @Override
  public boolean isEmpty() {
    return delegate.isEmpty();
  }

  @Override
  public boolean containsKey(Object key) {
    return delegate.containsKey(key);
  }

  @Override
  public boolean containsValue(Object value) {
    return delegate.containsValue(value);
  }

  @Override
  public Set<K> keySet() {
    return delegate.keySet();
  }

  @Override
  public Collection<V> values() {
    return delegate.values();
  }

  @Override
  public Set<Entry<K, V>> entrySet() {
    return delegate.entrySet();
  }

  @Override
  public void forEach(BiConsumer<? super K, ? super V> action) {
    delegate.forEach(action);
  }

  @Override
  public void replaceAll(BiFunction<? super K, ? super V, ? extends V> function) {
    delegate.replaceAll(function);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o == this || delegate.equals(o);
  }

  @Override
  public int hashCode() {
    return delegate.hashCode();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }

  /** Runs the caller's mapping function as a timed load and remembers that it ran. */
  private static final class LoadingFunction<K, V> implements Function<K, V> {
    private final Function<? super K, ? extends V> function;
    private final CacheMonitor monitor;
    boolean invoked;

    LoadingFunction(Function<? super K, ? extends V> function, CacheMonitor monitor) {
      this.function = function;
      this.monitor = monitor;
    }

    @Override
    public V apply(K key) {
      invoked = true;
      long start = monitor.startTimed();
      V value;
      try {
        value = function.apply(key);
      } catch (RuntimeException | Error e) {
        monitor.recordLoad(start, false, key);
        throw e;
      }
      monitor.recordLoad(start, value != null, key);
      return value;
    }
  }
}
