package dev.cachescope.instrument.jcache;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.instrument.kit.AdapterCompatibilityKit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.configuration.FactoryBuilder;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.integration.CacheLoader;
import org.ehcache.jsr107.EhcacheCachingProvider;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;

/**
 * The kit over {@link MonitoringCachingProvider} delegating to Ehcache 3. Loads are JCache's
 * read-through; a JCache cache belongs to its manager, so "dropping" it means closing the manager.
 */
class JCacheKitTest extends AdapterCompatibilityKit {
  /** The loader the next read-through uses; JCache fixes the loader at configuration time. */
  static volatile Function<String, @Nullable String> currentLoader = key -> null;

  private @Nullable MonitoringCachingProvider provider;
  private @Nullable CacheManager manager;
  private @Nullable Cache<String, String> cache;

  @Override
  protected void create(MetricsAggregator aggregator, int maximumSize) {
    provider = new MonitoringCachingProvider(new EhcacheCachingProvider(), aggregator);
    manager = provider.getCacheManager();
    MutableConfiguration<String, String> configuration =
        new MutableConfiguration<String, String>()
            .setTypes(String.class, String.class)
            .setReadThrough(true)
            .setCacheLoaderFactory(FactoryBuilder.factoryOf(new DelegatingLoader()));
    cache = manager.createCache(NAME, configuration);
  }

  @AfterEach
  void closeProvider() {
    MonitoringCachingProvider p = provider;
    if (p != null) {
      p.close();
    }
  }

  private Cache<String, String> cache() {
    return Objects.requireNonNull(cache);
  }

  @Override
  protected void put(String key, String value) {
    cache().put(key, value);
  }

  @Override
  protected @Nullable String get(String key) {
    currentLoader = k -> null;
    return cache().get(key);
  }

  @Override
  protected @Nullable String load(String key, Function<String, String> loader) {
    currentLoader = k -> loader.apply(k);
    return cache().get(key);
  }

  @Override
  protected void remove(String key) {
    cache().remove(key);
  }

  @Override
  protected void clear() {
    cache().clear();
  }

  @Override
  protected @Nullable Map<String, String> getAllPresent(List<String> keys) {
    currentLoader = k -> null;
    return cache().getAll(new java.util.LinkedHashSet<>(keys));
  }

  @Override
  protected @Nullable Boolean putIfAbsent(String key, String value) {
    return cache().putIfAbsent(key, value);
  }

  @Override
  protected void drop() {
    cache = null;
    Objects.requireNonNull(manager).close();
  }

  /** A serializable loader that runs {@link #currentLoader}. */
  static final class DelegatingLoader implements CacheLoader<String, String>, java.io.Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public @Nullable String load(String key) {
      return currentLoader.apply(key);
    }

    @Override
    public Map<String, String> loadAll(Iterable<? extends String> keys) {
      Map<String, String> loaded = new java.util.HashMap<>();
      for (String key : keys) {
        String value = currentLoader.apply(key);
        if (value != null) {
          loaded.put(key, value);
        }
      }
      return loaded;
    }
  }
}
