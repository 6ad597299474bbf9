package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.CacheEntryListenerConfiguration;
import javax.cache.configuration.CompleteConfiguration;
import javax.cache.configuration.Configuration;
import javax.cache.integration.CacheLoaderException;
import javax.cache.integration.CompletionListener;
import javax.cache.processor.EntryProcessor;
import javax.cache.processor.EntryProcessorException;
import javax.cache.processor.EntryProcessorResult;
import org.jspecify.annotations.Nullable;

/** A JCache {@link Cache} that records its operations; see {@link JCacheMonitoring}. */
final class MonitoredJCache<K, V> implements Cache<K, V> {
  final Cache<K, V> delegate;
  final CacheMonitor monitor;
  private final CacheManager manager;
  private final StatisticsProbe probe;
  private final boolean readThrough;

  MonitoredJCache(
      Cache<K, V> delegate, CacheMonitor monitor, CacheManager manager, StatisticsProbe probe) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.manager = manager;
    this.probe = probe;
    this.readThrough = isReadThrough(delegate);
  }

  @SuppressWarnings("unchecked") // any configuration of this cache has its key and value types
  private static boolean isReadThrough(Cache<?, ?> cache) {
    try {
      return cache.getConfiguration(CompleteConfiguration.class).isReadThrough();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  @Override
  public @Nullable V get(K key) {
    long start = monitor.startLookup();
    // JSR-107: containsKey updates no statistics and is no access, so asking first leaves the
    // cache's own numbers and expiry as they would be without cachescope.
    boolean present = !readThrough || delegate.containsKey(key);
    long diskHits = probe.diskHits();
    long began = System.nanoTime();
    V value;
    try {
      value = delegate.get(key);
    } catch (RuntimeException | Error e) {
      recordFailedGet(key, start, began, e);
      throw e;
    }
    if (value == null) {
      monitor.recordMiss(start, null, key);
    } else if (!present) {
      monitor.recordMiss(start, Source.FRESH, key);
      monitor.recordLoadTime(System.nanoTime() - began, true, key);
    } else {
      monitor.recordHit(start, probe.diskHits() > diskHits ? Source.DISK : Source.MEMORY, key);
    }
    return value;
  }

  /** A read-through loader that threw is a miss and a failed load; anything else an error. */
  private void recordFailedGet(K key, long start, long began, Throwable e) {
    if (e instanceof CacheLoaderException) {
      monitor.recordMiss(start, Source.FRESH, key);
      monitor.recordLoadTime(System.nanoTime() - began, false, key);
    } else {
      monitor.recordError(Operation.GET, start, key);
    }
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    long start = monitor.startLookup();
    Map<K, V> found;
    try {
      found = delegate.getAll(keys);
    } catch (RuntimeException | Error e) {
      monitor.recordError(Operation.GET, start, null);
      throw e;
    }
    for (K key : keys) {
      if (found.containsKey(key)) {
        monitor.recordHit(start, null, key);
      } else {
        monitor.recordMiss(start, null, key);
      }
    }
    return found;
  }

  @Override
  public boolean containsKey(K key) {
    return delegate.containsKey(key);
  }

  @Override
  public void loadAll(
      Set<? extends K> keys,
      boolean replaceExistingValues,
      @Nullable CompletionListener completionListener) {
    delegate.loadAll(keys, replaceExistingValues, completionListener);
  }

  @Override
  public void put(K key, V value) {
    long start = monitor.startTimed();
    try {
      delegate.put(key, value);
    } catch (RuntimeException | Error e) {
      monitor.recordError(Operation.SET, start, key);
      throw e;
    }
    monitor.recordPut(start, key, -1);
  }

  @Override
  public @Nullable V getAndPut(K key, V value) {
    long start = monitor.startTimed();
    V previous = delegate.getAndPut(key, value);
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
  public boolean putIfAbsent(K key, V value) {
    long start = monitor.startTimed();
    boolean stored = delegate.putIfAbsent(key, value);
    if (stored) {
      monitor.recordPut(start, key, -1);
    }
    return stored;
  }

  @Override
  public boolean remove(K key) {
    long start = monitor.startTimed();
    boolean removed = delegate.remove(key);
    if (removed) {
      monitor.recordRemoval(start, key);
    }
    return removed;
  }

  @Override
  public boolean remove(K key, V oldValue) {
    long start = monitor.startTimed();
    boolean removed = delegate.remove(key, oldValue);
    if (removed) {
      monitor.recordRemoval(start, key);
    }
    return removed;
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    long start = monitor.startTimed();
    V removed = delegate.getAndRemove(key);
    if (removed != null) {
      monitor.recordRemoval(start, key);
    }
    return removed;
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
  public boolean replace(K key, V value) {
    long start = monitor.startTimed();
    boolean replaced = delegate.replace(key, value);
    if (replaced) {
      monitor.recordPut(start, key, -1);
    }
    return replaced;
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    long start = monitor.startTimed();
    V previous = delegate.getAndReplace(key, value);
    if (previous != null) {
      monitor.recordPut(start, key, -1);
    }
    return previous;
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    delegate.removeAll(keys);
  }

  @Override
  public void removeAll() {
    long start = monitor.startTimed();
    delegate.removeAll();
    monitor.recordClear(start);
  }

  @Override
  public void clear() {
    long start = monitor.startTimed();
    delegate.clear();
    monitor.recordClear(start);
  }

  @Override
  public <C extends Configuration<K, V>> C getConfiguration(Class<C> clazz) {
    return delegate.getConfiguration(clazz);
  }

  @Override
  public <T> @Nullable T invoke(K key, EntryProcessor<K, V, T> entryProcessor, Object... arguments)
      throws EntryProcessorException {
    return delegate.invoke(key, entryProcessor, arguments);
  }

  @Override
  public <T> Map<K, EntryProcessorResult<T>> invokeAll(
      Set<? extends K> keys, EntryProcessor<K, V, T> entryProcessor, Object... arguments) {
    return delegate.invokeAll(keys, entryProcessor, arguments);
  }

  @Override
  public String getName() {
    return delegate.getName();
  }

  @Override
  public CacheManager getCacheManager() {
    return manager;
  }

  @Override
  public void close() {
    delegate.close();
  }

  @Override
  public boolean isClosed() {
    return delegate.isClosed();
  }

  @Override
  public <T> T unwrap(Class<T> clazz) {
    if (clazz.isInstance(this)) {
      return clazz.cast(this);
    }
    return delegate.unwrap(clazz);
  }

  @Override
  public void registerCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    delegate.registerCacheEntryListener(cacheEntryListenerConfiguration);
  }

  @Override
  public void deregisterCacheEntryListener(
      CacheEntryListenerConfiguration<K, V> cacheEntryListenerConfiguration) {
    delegate.deregisterCacheEntryListener(cacheEntryListenerConfiguration);
  }

  @Override
  public Iterator<Entry<K, V>> iterator() {
    return delegate.iterator();
  }

  @Override
  public String toString() {
    return "Monitored[" + monitor.name() + "] " + delegate;
  }

  /** Which tier served a hit, when the provider can say (Ehcache's tiers); {@link #NONE} else. */
  interface StatisticsProbe {
    StatisticsProbe NONE = () -> 0;

    /** Hits served by the disk tier so far; a hit during which it moved came from disk. */
    long diskHits();
  }
}
