package dev.cachescope.spring;

import dev.cachescope.CacheMonitor;
import dev.cachescope.MetricsAggregator;
import dev.cachescope.Source;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.instrument.MapMonitoring;
import dev.cachescope.instrument.caffeine.CaffeineMonitoring;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.transaction.TransactionAwareCacheDecorator;
import org.springframework.util.ClassUtils;

/**
 * The monitored form of every cache the application's cache managers hand out: one decorator and
 * one monitor per cache, created the first time the cache is handed out (so caches a manager
 * creates at run time are monitored too) and registered with the aggregator under the cache's name,
 * or {@code managerBean:cacheName} when another manager already uses that name. Thread-safe.
 */
final class MonitoredCaches {
  private static final Logger LOG = LoggerFactory.getLogger(MonitoredCaches.class);
  private static final boolean CAFFEINE =
      ClassUtils.isPresent(
          "com.github.benmanes.caffeine.cache.Cache", MonitoredCaches.class.getClassLoader());
  private static final boolean TRANSACTION_AWARE =
      ClassUtils.isPresent(
          "org.springframework.cache.transaction.TransactionAwareCacheDecorator",
          MonitoredCaches.class.getClassLoader());

  private final MetricsAggregator aggregator;
  private final MonitoringConfig config;
  private final OperationTracer tracer;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final Map<String, ManagerCaches> managers = new ConcurrentHashMap<>();
  private final Map<String, Origin> origins = new ConcurrentHashMap<>();

  /**
   * Where a monitored cache comes from, as Spring Boot's own cache meters tag it.
   *
   * @param cacheManager the manager's bean name without a trailing {@code cacheManager} ({@code
   *     redisCacheManager} is {@code redis}; {@code cacheManager} stays), Spring Boot's {@code
   *     cache.manager} tag
   * @param name the cache's Spring name, Spring Boot's {@code name} tag
   */
  record Origin(String cacheManager, String name) {}

  MonitoredCaches(MetricsAggregator aggregator, MonitoringConfig config, OperationTracer tracer) {
    this.aggregator = aggregator;
    this.config = config;
    this.tracer = tracer;
  }

  /**
   * The manager and Spring name of the monitor called {@code monitorName}, if it is one of ours.
   */
  @Nullable Origin origin(String monitorName) {
    return origins.get(monitorName);
  }

  /** Whether caches are monitored at all ({@code cachescope.enabled}). */
  boolean enabled() {
    return config.enabled();
  }

  /** The caches of the manager bean {@code manager}: the same object for the same name. */
  ManagerCaches forManager(String manager) {
    return managers.computeIfAbsent(manager, ManagerCaches::new);
  }

  /** One manager's monitored caches, by name: the lookup {@code getCache} pays on every call. */
  final class ManagerCaches {
    private final String manager;
    private final Map<String, MonitoredSpringCache> byName = new ConcurrentHashMap<>();

    private ManagerCaches(String manager) {
      this.manager = manager;
    }

    /**
     * The monitored form of {@code cache}, which this manager handed out; {@code cache} itself when
     * it is already monitored or monitoring it fails (logged once).
     */
    Cache wrap(Cache cache) {
      try {
        MonitoredSpringCache known = byName.get(cache.getName());
        if (known != null && sameCache(known.delegate(), cache)) {
          return known;
        }
        if (isMonitored(cache)) {
          return cache;
        }
        synchronized (MonitoredCaches.this) {
          known = byName.get(cache.getName());
          if (known != null && sameCache(known.delegate(), cache)) {
            return known;
          }
          CacheMonitor monitor = known != null ? known.monitor() : register(manager, cache);
          bind(monitor, cache);
          MonitoredSpringCache monitored =
              new MonitoredSpringCache(cache, monitor, source(cache), tracer);
          byName.put(cache.getName(), monitored);
          return monitored;
        }
      } catch (RuntimeException e) {
        if (warned.compareAndSet(false, true)) {
          LOG.warn(
              "cachescope: cannot monitor cache '{}' of '{}'; it works unmonitored",
              cache.getName(),
              manager,
              e);
        }
        return cache;
      }
    }
  }

  private CacheMonitor register(String manager, Cache cache) {
    String name = cache.getName();
    if (aggregator.monitor(name).isPresent()) {
      name = manager + ":" + name;
    }
    // Before registering: the Micrometer binder reads it when the cache registers.
    origins.put(name, new Origin(managerTag(manager), cache.getName()));
    return aggregator.register(config.monitorOptions(name).build());
  }

  /**
   * Spring Boot's rule for the {@code cache.manager} tag: the bean name less {@code cacheManager}.
   */
  static String managerTag(String beanName) {
    String suffix = "cacheManager";
    return beanName.length() > suffix.length()
            && beanName.regionMatches(
                true, beanName.length() - suffix.length(), suffix, 0, suffix.length())
        ? beanName.substring(0, beanName.length() - suffix.length())
        : beanName;
  }

  /**
   * Points the monitor's snapshots at the native cache when its kind is known (Caffeine, a map),
   * and has sizing advice simulate Caffeine's policy for a Caffeine cache. Others (JCache, Redis)
   * cannot be read without counting as access, so report no entries.
   */
  private static void bind(CacheMonitor monitor, Cache cache) {
    Object nativeCache = target(cache).getNativeCache();
    if (CAFFEINE && nativeCache instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> c) {
      monitor.inspect(c, CaffeineMonitoring.inspector());
      monitor.simulate(CaffeineMonitoring.sizingModel(c));
    } else if (nativeCache instanceof Map<?, ?> map) {
      monitor.inspect(map, MapMonitoring.inspector());
    }
  }

  /** Where a hit comes from: memory for in-process caches, remote for Redis, else unknown. */
  private static @Nullable Source source(Cache cache) {
    Object nativeCache = target(cache).getNativeCache();
    if (nativeCache instanceof Map<?, ?>
        || (CAFFEINE && nativeCache instanceof com.github.benmanes.caffeine.cache.Cache<?, ?>)) {
      return Source.MEMORY;
    }
    if (nativeCache.getClass().getName().startsWith("org.springframework.data.redis.")) {
      return Source.REMOTE;
    }
    return null;
  }

  private static boolean isMonitored(Cache cache) {
    return target(cache) instanceof MonitoredSpringCache;
  }

  /**
   * Whether two handed-out caches are the same cache: by identity, behind any transaction-aware
   * decorator (a proxy manager makes a new decorator per call; a recreated cache is a new one).
   */
  @SuppressWarnings("ReferenceEquality")
  private static boolean sameCache(Cache a, Cache b) {
    return target(a) == target(b);
  }

  /** The cache behind a transaction-aware decorator. */
  private static Cache target(Cache cache) {
    return TRANSACTION_AWARE && cache instanceof TransactionAwareCacheDecorator decorator
        ? decorator.getTargetCache()
        : cache;
  }
}
