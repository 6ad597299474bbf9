package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheMonitor;
import dev.cachescope.Operation;
import dev.cachescope.Source;
import dev.cachescope.instrument.CacheRecorder;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
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
  private final CacheRecorder recorder;
  private final CacheManager manager;
  private final StatisticsProbe probe;
  private final boolean readThrough;

  MonitoredJCache(
      Cache<K, V> delegate, CacheMonitor monitor, CacheManager manager, StatisticsProbe probe) {
    this.delegate = delegate;
    this.monitor = monitor;
    this.recorder = CacheRecorder.of(monitor);
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
    long start = recorder.startLookup();
    // JSR-107: containsKey updates no statistics and is no access, so asking first leaves the
    // cache's own numbers and expiry as they would be without cachescope.
    boolean present = !readThrough || delegate.containsKey(key);
    long diskHits = probe.diskHits();
    // A read-through get may load; only afterwards does it say whether it did.
    long loadStart = readThrough ? recorder.startLoad() : CacheMonitor.NOT_TIMED;
    V value;
    try {
      value = delegate.get(key);
    } catch (RuntimeException | Error e) {
      if (e instanceof CacheLoaderException) {
        recorder.missThenLoad(start, key);
        recorder.loaded(loadStart, false, key);
      } else {
        recorder.error(Operation.GET, start, key);
      }
      throw e;
    }
    if (value == null) {
      recorder.lookup(start, key, /* hit= */ false, /* willLoad= */ false);
    } else if (!present) {
      recorder.missThenLoad(start, key);
      recorder.loaded(loadStart, true, key);
    } else if (probe.diskHits() > diskHits) {
      recorder.hit(start, Source.DISK, key);
    } else {
      recorder.lookup(start, key, /* hit= */ true, readThrough);
    }
    return value;
  }

  @Override
  public Map<K, V> getAll(Set<? extends K> keys) {
    long start = recorder.startLookup();
    Map<K, V> found;
    try {
      found = delegate.getAll(keys);
    } catch (RuntimeException | Error e) {
      recorder.error(Operation.GET, start, null);
      throw e;
    }
    recorder.bulkLookup(start, keys, found, /* willLoad= */ false);
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
    recorder.write(Operation.SET, key, () -> delegate.put(key, value));
  }

  @Override
  public @Nullable V getAndPut(K key, V value) {
    return recorder.write(Operation.SET, key, () -> delegate.getAndPut(key, value), v -> true);
  }

  @Override
  public void putAll(Map<? extends K, ? extends V> map) {
    long start = recorder.startWrite();
    delegate.putAll(map);
    recorder.wroteAll(start, map.keySet());
  }

  @Override
  public boolean putIfAbsent(K key, V value) {
    return recorder.write(
        Operation.SET, key, () -> delegate.putIfAbsent(key, value), Boolean.TRUE::equals);
  }

  @Override
  public boolean remove(K key) {
    return recorder.write(Operation.DELETE, key, () -> delegate.remove(key), Boolean.TRUE::equals);
  }

  @Override
  public boolean remove(K key, V oldValue) {
    return recorder.write(
        Operation.DELETE, key, () -> delegate.remove(key, oldValue), Boolean.TRUE::equals);
  }

  @Override
  public @Nullable V getAndRemove(K key) {
    return recorder.write(
        Operation.DELETE, key, () -> delegate.getAndRemove(key), Objects::nonNull);
  }

  @Override
  public boolean replace(K key, V oldValue, V newValue) {
    return recorder.write(
        Operation.SET, key, () -> delegate.replace(key, oldValue, newValue), Boolean.TRUE::equals);
  }

  @Override
  public boolean replace(K key, V value) {
    return recorder.write(
        Operation.SET, key, () -> delegate.replace(key, value), Boolean.TRUE::equals);
  }

  @Override
  public @Nullable V getAndReplace(K key, V value) {
    return recorder.write(
        Operation.SET, key, () -> delegate.getAndReplace(key, value), Objects::nonNull);
  }

  @Override
  public void removeAll(Set<? extends K> keys) {
    delegate.removeAll(keys);
  }

  @Override
  public void removeAll() {
    recorder.write(Operation.CLEAR, null, delegate::removeAll);
  }

  @Override
  public void clear() {
    recorder.write(Operation.CLEAR, null, delegate::clear);
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
