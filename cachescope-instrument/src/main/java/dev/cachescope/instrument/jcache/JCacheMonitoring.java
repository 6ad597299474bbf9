package dev.cachescope.instrument.jcache;

import dev.cachescope.CacheInspector;
import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import java.util.Map;
import javax.cache.Cache;
import javax.cache.CacheManager;
import org.jspecify.annotations.Nullable;

/**
 * Monitors JCache (JSR-107) caches. One cache:
 *
 * <pre>{@code
 * Cache<String, Definition> files = JCacheMonitoring.monitor(manager.getCache("FileCache"), aggregator);
 * }</pre>
 *
 * Every cache of an application, with no code: run with {@code
 * -Djavax.cache.spi.CachingProvider=dev.cachescope.instrument.jcache.MonitoringCachingProvider}
 * (see {@link MonitoringCachingProvider}).
 *
 * <h2>What is counted, and when</h2>
 *
 * <ul>
 *   <li>{@code get}, {@code getAll} (per key): a hit when a value is returned, else a miss. Over
 *       Ehcache 3 a hit's source is {@code disk} when the disk tier served it, else {@code memory}:
 *       the disk tier's hit count is compared before and after the lookup, so a concurrent disk hit
 *       on another thread can be attributed to this one; the per-tier totals in {@code
 *       custom_metrics.tiers} are exact.
 *   <li>{@code put}, {@code getAndPut}, {@code putAll} (per entry), and {@code putIfAbsent}, {@code
 *       replace}, {@code getAndReplace} when they store: puts. {@code remove}, {@code getAndRemove}
 *       when they remove: removals. {@code clear} and {@code removeAll()}: clears.
 *   <li>Not counted: {@code containsKey}, {@code loadAll}, {@code invoke}/{@code invokeAll}, {@code
 *       removeAll(keys)} (JCache does not say which keys were present), iteration. The cache itself
 *       sees exactly the calls it would see without cachescope, so its own statistics and events
 *       are unchanged.
 *   <li>Entries and heap bytes over Ehcache 3 come from its tier statistics. Over Caffeine's JCache
 *       provider the Caffeine cache underneath is read like any Caffeine cache (entries, bound,
 *       TTL, measured memory) and sizing simulates its policy. JCache itself has no size, so over
 *       other providers entries are reported as 0.
 * </ul>
 */
public final class JCacheMonitoring {
  private JCacheMonitoring() {}

  /** Monitors {@code cache} under its own name. */
  public static <K, V> Cache<K, V> monitor(Cache<K, V> cache, MetricsAggregator aggregator) {
    return monitor(cache, aggregator, CacheMonitor.builder(cache.getName()));
  }

  /** Monitors {@code cache} with the monitor options in {@code options}. */
  public static <K, V> Cache<K, V> monitor(
      Cache<K, V> cache, MetricsAggregator aggregator, CacheMonitor.Builder options) {
    return register(cache, cache.getCacheManager(), aggregator, options);
  }

  /**
   * Points {@code monitor} at {@code cache} as {@link #monitor} does (entries, and for Ehcache its
   * tiers and the evictions they make), for tools that count the cache's calls themselves (the
   * agent, for a cache built before it came). The cache is not wrapped.
   */
  public static void inspect(CacheMonitor monitor, Cache<?, ?> cache) {
    TierData tiers = tierData(cache);
    if (tiers != null) {
      monitor.inspect(cache, new DepartureCounter(tiers.inspector(), tiers.departures(), monitor));
    } else if (CAFFEINE) {
      monitor.inspect(cache, GenericInspector.INSTANCE);
      CaffeineUnderneath.bind(monitor, cache);
    } else {
      monitor.inspect(cache, GenericInspector.INSTANCE);
    }
  }

  /**
   * Registers a monitor for {@code cache} built from {@code options}, and wraps the cache; the
   * wrapper reports {@code manager} as its manager.
   */
  static <K, V> MonitoredJCache<K, V> register(
      Cache<K, V> cache,
      CacheManager manager,
      MetricsAggregator aggregator,
      CacheMonitor.Builder options) {
    TierData tiers = tierData(cache);
    CacheMonitor monitor =
        aggregator.register(
            options
                .inspect(cache, tiers == null ? GenericInspector.INSTANCE : tiers.inspector())
                .build());
    if (tiers != null) {
      monitor.inspect(cache, new DepartureCounter(tiers.inspector(), tiers.departures(), monitor));
    } else if (CAFFEINE) {
      CaffeineUnderneath.bind(monitor, cache);
    }
    MonitoredJCache.StatisticsProbe probe =
        tiers == null ? MonitoredJCache.StatisticsProbe.NONE : tiers.probe();
    return new MonitoredJCache<>(cache, monitor, manager, probe);
  }

  /**
   * Whether Caffeine is on the class path, so a JCache cache may be a Caffeine cache underneath.
   */
  private static final boolean CAFFEINE = present("com.github.benmanes.caffeine.cache.Cache");

  private static boolean present(String className) {
    try {
      Class.forName(className, false, JCacheMonitoring.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Ehcache's tier data when the cache is Ehcache's; checked by name so Ehcache is optional. */
  private static @Nullable TierData tierData(Cache<?, ?> cache) {
    CacheManager manager = cache.getCacheManager();
    if (manager == null || !manager.getClass().getName().equals(EhcacheTiers.MANAGER_CLASS)) {
      return null;
    }
    return EhcacheTiers.of(manager, cache.getName());
  }

  /** For providers without size information: the provider's name, no entry count. */
  private enum GenericInspector implements CacheInspector<Cache<?, ?>> {
    INSTANCE;

    @Override
    public long entries(Cache<?, ?> cache) {
      return 0;
    }

    @Override
    public Map<String, Object> customMetrics(Cache<?, ?> cache) {
      CacheManager manager = cache.getCacheManager();
      return manager == null
          ? Map.of()
          : Map.of("provider", manager.getCachingProvider().getClass().getName());
    }
  }
}
