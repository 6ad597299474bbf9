package dev.cachescope.instrument;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
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
  private final CacheRecorder recorder;

  MonitoredConcurrentMap(ConcurrentMap<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.recorder = CacheRecorder.of(monitor);
  }

  @Override
  public @Nullable V get(Object key) {
    long start = recorder.startLookup();
    V value = delegate.get(key);
    recorder.lookup(start, key, value != null, /* willLoad= */ false);
    return value;
  }

  @Override
  public V getOrDefault(Object key, V defaultValue) {
    V value = get(key);
    return value != null ? value : defaultValue;
  }

  @Override
  public V computeIfAbsent(K key, Function<? super K, ? extends V> mappingFunction) {
    long start = recorder.startLookup();
    V present = delegate.get(key);
    if (present != null) {
      recorder.lookup(start, key, /* hit= */ true, /* willLoad= */ true);
      return present;
    }
    CacheRecorder.TimedLoad<K, V> loading = recorder.loadingKey(mappingFunction);
    V value;
    try {
      value = delegate.computeIfAbsent(key, loading);
    } catch (RuntimeException | Error e) {
      if (loading.invoked()) {
        recorder.missThenLoad(start, key);
      } else {
        recorder.error(Operation.GET, start, key);
      }
      throw e;
    }
    // Not invoked: another thread stored the value between the two looks, so this caller got a
    // cached value.
    recorder.lookup(start, key, !loading.invoked(), /* willLoad= */ true);
    return value;
  }

  @Override
  public @Nullable V put(K key, V value) {
    return recorder.write(Operation.SET, key, () -> delegate.put(key, value), p -> true);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    long start = recorder.startWrite();
    delegate.putAll(map);
    recorder.wroteAll(start, map.keySet());
  }

  @Override
  public @Nullable V putIfAbsent(K key, V value) {
    return recorder.write(
        Operation.SET, key, () -> delegate.putIfAbsent(key, value), Objects::isNull);
  }

  @Override
  public @Nullable V replace(K key, V value) {
    return recorder.write(Operation.SET, key, () -> delegate.replace(key, value), Objects::nonNull);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return recorder.write(
        Operation.SET, key, () -> delegate.replace(key, oldValue, newValue), Boolean.TRUE::equals);
  }

  @Override
  public @Nullable V compute(
      K key, BiFunction<? super K, ? super @Nullable V, ? extends @Nullable V> remapping) {
    return recorder.write(
        Operation.SET, key, () -> delegate.compute(key, remapping), Objects::nonNull);
  }

  @Override
  public @Nullable V computeIfPresent(
      K key, BiFunction<? super K, ? super V, ? extends @Nullable V> remapping) {
    return recorder.write(
        Operation.SET, key, () -> delegate.computeIfPresent(key, remapping), Objects::nonNull);
  }

  @Override
  public @Nullable V merge(
      K key, V value, BiFunction<? super V, ? super V, ? extends @Nullable V> remapping) {
    return recorder.write(
        Operation.SET, key, () -> delegate.merge(key, value, remapping), Objects::nonNull);
  }

  @Override
  public @Nullable V remove(Object key) {
    return recorder.<@Nullable V, RuntimeException>write(
        Operation.DELETE, key, () -> delegate.remove(key), Objects::nonNull);
  }

  @Override
  public boolean remove(Object key, @Nullable Object value) {
    return recorder.write(
        Operation.DELETE, key, () -> delegate.remove(key, value), Boolean.TRUE::equals);
  }

  @Override
  public void clear() {
    recorder.write(Operation.CLEAR, null, delegate::clear);
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
}
