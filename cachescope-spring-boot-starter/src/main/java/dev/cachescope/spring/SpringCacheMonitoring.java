package dev.cachescope.spring;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import org.springframework.cache.Cache;

/**
 * The starter's decoration of Spring caches without Spring Boot, for plain Spring applications and
 * for the {@code cachescope-agent}: {@link #monitored} returns the monitored form of a cache a
 * {@code CacheManager} handed out, exactly as the auto-configuration's proxy does (one decorator
 * and one monitor per cache, registered under the cache's name, or {@code manager:name} when
 * another manager already uses it). Thread-safe.
 *
 * <pre>{@code
 * SpringCacheMonitoring caches = SpringCacheMonitoring.create(aggregator, MonitoringConfig.defaults());
 * Cache users = caches.monitored("cacheManager", cacheManager.getCache("users"));
 * }</pre>
 */
public final class SpringCacheMonitoring {
  private final MonitoredCaches caches;

  private SpringCacheMonitoring(MonitoredCaches caches) {
    this.caches = caches;
  }

  /** Monitors caches with {@code aggregator}, each with the options {@code config} gives it. */
  public static SpringCacheMonitoring create(
      MetricsAggregator aggregator, MonitoringConfig config) {
    return new SpringCacheMonitoring(new MonitoredCaches(aggregator, config, OperationTracer.NONE));
  }

  /**
   * The monitored form of {@code cache}, which the manager called {@code manager} handed out: the
   * same decorator for the same cache on every call; {@code cache} itself when it is already
   * monitored, when monitoring is off in the configuration, or when monitoring it fails (logged
   * once). Never throws.
   */
  public Cache monitored(String manager, Cache cache) {
    return caches.enabled() ? caches.forManager(manager).wrap(cache) : cache;
  }
}
