package dev.cachescope.spring;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Nested;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;

/**
 * The compatibility kit every adapter passes, run on the monitored form of Spring caches: the map
 * cache of the {@code simple} manager and Caffeine's, as {@link MonitoredCaches} hands them out.
 */
class SpringCacheKitTest {

  /** The kit over one manager's cache; {@link #drop()} forgets the manager and the wrapper. */
  abstract static class SpringKit extends AdapterCompatibilityKit {
    private @Nullable CacheManager manager;
    private @Nullable MonitoredCaches caches;
    private @Nullable Cache cache;

    abstract CacheManager manager();

    @Override
    protected void create(MetricsAggregator aggregator, int maximumSize) {
      manager = manager();
      caches = new MonitoredCaches(aggregator, MonitoringConfig.defaults(), OperationTracer.NONE);
      cache =
          caches.forManager("cacheManager").wrap(Objects.requireNonNull(manager.getCache(NAME)));
    }

    private Cache cache() {
      return Objects.requireNonNull(cache);
    }

    @Override
    protected void put(String key, String value) {
      cache().put(key, value);
    }

    @Override
    protected @Nullable String get(String key) {
      Cache.ValueWrapper value = cache().get(key);
      return value == null ? null : (String) value.get();
    }

    @Override
    protected @Nullable String load(String key, Function<String, String> loader) {
      return cache().get(key, () -> loader.apply(key));
    }

    /** {@code evictIfPresent}: like the kit's remove, it says whether an entry went. */
    @Override
    protected void remove(String key) {
      cache().evictIfPresent(key);
    }

    @Override
    protected void clear() {
      cache().clear();
    }

    @Override
    protected @Nullable Boolean putIfAbsent(String key, String value) {
      return cache().putIfAbsent(key, value) == null;
    }

    @Override
    protected void drop() {
      cache = null;
      caches = null;
      manager = null;
    }
  }

  @Nested
  class ConcurrentMapCacheKit extends SpringKit {
    @Override
    CacheManager manager() {
      return new ConcurrentMapCacheManager();
    }
  }

  @Nested
  class CaffeineCacheKit extends SpringKit {
    @Override
    CacheManager manager() {
      return new CaffeineCacheManager();
    }
  }
}
