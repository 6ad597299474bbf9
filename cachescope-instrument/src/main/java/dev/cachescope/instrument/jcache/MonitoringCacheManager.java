package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.net.URI;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.Configuration;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * A {@link CacheManager} that hands out monitored caches and otherwise delegates every call. One
 * wrapper per delegate cache, so {@code getCache} returns the same object each time; destroying a
 * cache or closing the manager unregisters the monitors.
 */
final class MonitoringCacheManager implements CacheManager {
  private final MonitoringCachingProvider provider;
  private final CacheManager delegate;
  private final MetricsAggregator aggregator;
  private final ConcurrentMap<String, MonitoredJCache<?, ?>> caches = new ConcurrentHashMap<>();

  MonitoringCacheManager(
      MonitoringCachingProvider provider, CacheManager delegate, MetricsAggregator aggregator) {
    this.provider = provider;
    this.delegate = delegate;
    this.aggregator = aggregator;
  }

  CacheManager delegate() {
    return delegate;
  }

  @Override
  public CachingProvider getCachingProvider() {
    return provider;
  }

  @Override
  public URI getURI() {
    return delegate.getURI();
  }

  @Override
  public @Nullable ClassLoader getClassLoader() {
    return delegate.getClassLoader();
  }

  @Override
  public Properties getProperties() {
    return delegate.getProperties();
  }

  @Override
  public <K, V, C extends Configuration<K, V>> Cache<K, V> createCache(
      String cacheName, C configuration) {
    return monitored(delegate.createCache(cacheName, configuration));
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(
      String cacheName, Class<K> keyType, Class<V> valueType) {
    Cache<K, V> cache = delegate.getCache(cacheName, keyType, valueType);
    return cache == null ? null : monitored(cache);
  }

  @Override
  public <K, V> @Nullable Cache<K, V> getCache(String cacheName) {
    Cache<K, V> cache = delegate.getCache(cacheName);
    return cache == null ? null : monitored(cache);
  }

  @Override
  public Iterable<String> getCacheNames() {
    return delegate.getCacheNames();
  }

  @Override
  public void destroyCache(String cacheName) {
    delegate.destroyCache(cacheName);
    forget(caches.remove(cacheName));
  }

  @Override
  public void enableManagement(String cacheName, boolean enabled) {
    delegate.enableManagement(cacheName, enabled);
  }

  @Override
  public void enableStatistics(String cacheName, boolean enabled) {
    delegate.enableStatistics(cacheName, enabled);
  }

  @Override
  public void close() {
    delegate.close();
    caches.values().forEach(this::forget);
    caches.clear();
    provider.closed(this);
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
  public String toString() {
    return "Monitoring[" + delegate + "]";
  }

  @SuppressWarnings({
    "unchecked", // the wrapper of a delegate cache has that cache's types
    "ReferenceEquality" // one wrapper per delegate instance: identity is the point
  })
  private <K, V> Cache<K, V> monitored(Cache<K, V> cache) {
    return (Cache<K, V>)
        caches.compute(
            cache.getName(),
            (name, existing) -> {
              if (existing != null && existing.delegate == cache) {
                return existing;
              }
              forget(existing);
              return JCacheMonitoring.register(
                  cache, this, aggregator, CacheMonitor.builder(uniqueName(name)));
            });
  }

  /** The cache's name, or the name with a suffix when another manager already uses it. */
  private String uniqueName(String name) {
    String candidate = name;
    for (int n = 2; aggregator.monitor(candidate).isPresent(); n++) {
      candidate = name + "#" + n;
    }
    return candidate;
  }

  private void forget(@Nullable MonitoredJCache<?, ?> cache) {
    if (cache != null) {
      aggregator.unregister(cache.monitor.name());
    }
  }
}
