package dev.cachescope.instrument.caffeine;

import com.github.benmanes.caffeine.cache.AsyncCache;
import com.github.benmanes.caffeine.cache.Cache;
import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.instrument.CacheRecorder;
import dev.cachescope.instrument.MapMonitoring;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * A Caffeine {@link AsyncCache} that records lookups, loads, writes and removals. A lookup that
 * finds a future, complete or not, is a hit.
 */
class MonitoredAsyncCache<K, V> implements AsyncCache<K, V> {
  final AsyncCache<K, V> delegate;
  final CacheMonitor monitor;
  final CacheRecorder recorder;
  private final ConcurrentMap<K, CompletableFuture<V>> asMap;
  private final Cache<K, V> synchronous;

  MonitoredAsyncCache(AsyncCache<K, V> delegate, CacheMonitor monitor) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.recorder = CacheRecorder.of(monitor);
    this.asMap = MapMonitoring.view(delegate.asMap(), monitor);
    this.synchronous = new MonitoredCache<>(delegate.synchronous(), monitor);
  }

  @Override
  public @Nullable CompletableFuture<V> getIfPresent(K key) {
    long start = recorder.startLookup();
    CompletableFuture<V> future = delegate.getIfPresent(key);
    recorder.lookup(start, key, future != null, /* willLoad= */ false);
    return future;
  }

  @Override
  public CompletableFuture<V> get(K key, Function<? super K, ? extends V> mappingFunction) {
    CompletableFuture<V> present = presentOrMiss(key);
    return present != null ? present : timed(key, delegate.get(key, mappingFunction));
  }

  @Override
  public CompletableFuture<V> get(
      K key,
      BiFunction<? super K, ? super Executor, ? extends CompletableFuture<? extends V>>
          mappingFunction) {
    CompletableFuture<V> present = presentOrMiss(key);
    return present != null ? present : timed(key, delegate.get(key, mappingFunction));
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(
      Iterable<? extends K> keys,
      Function<? super Set<? extends K>, ? extends Map<? extends K, ? extends V>> mappingFunction) {
    boolean missed = recordBulkLookup(keys);
    CompletableFuture<Map<K, V>> all = delegate.getAll(keys, mappingFunction);
    return missed ? timed(null, all) : all;
  }

  @Override
  public CompletableFuture<Map<K, V>> getAll(
      Iterable<? extends K> keys,
      BiFunction<
              ? super Set<? extends K>,
              ? super Executor,
              ? extends CompletableFuture<? extends Map<? extends K, ? extends V>>>
          mappingFunction) {
    boolean missed = recordBulkLookup(keys);
    CompletableFuture<Map<K, V>> all = delegate.getAll(keys, mappingFunction);
    return missed ? timed(null, all) : all;
  }

  @Override
  public void put(K key, CompletableFuture<? extends V> valueFuture) {
    recorder.write(Operation.SET, key, () -> delegate.put(key, valueFuture));
  }

  @Override
  public ConcurrentMap<K, CompletableFuture<V>> asMap() {
    return asMap;
  }

  @Override
  public Cache<K, V> synchronous() {
    return synchronous;
  }

  @Override
  public String toString() {
    return "Monitored[" + monitor.name() + "] " + delegate;
  }

  /** The present future after recording a hit, or null after recording a miss. */
  final @Nullable CompletableFuture<V> presentOrMiss(K key) {
    long start = recorder.startLookup();
    CompletableFuture<V> present = delegate.getIfPresent(key);
    recorder.lookup(start, key, present != null, /* willLoad= */ true);
    return present;
  }

  /** Records a hit or a miss per distinct key; returns whether any key missed. */
  final boolean recordBulkLookup(Iterable<? extends K> keys) {
    Map<K, Boolean> seen = new HashMap<>();
    boolean missed = false;
    for (K key : keys) {
      if (seen.putIfAbsent(key, Boolean.TRUE) == null && presentOrMiss(key) == null) {
        missed = true;
      }
    }
    return missed;
  }

  /** Records the load when the future completes: a failure if it fails or yields null. */
  @SuppressWarnings("FutureReturnValueIgnored") // the dependent stage only records; the caller
  // keeps the original future and with it any failure
  final <T> CompletableFuture<T> timed(@Nullable K key, CompletableFuture<T> future) {
    long start = recorder.startLoad();
    future.whenComplete(
        (value, error) -> recorder.loaded(start, error == null && value != null, key));
    return future;
  }
}
