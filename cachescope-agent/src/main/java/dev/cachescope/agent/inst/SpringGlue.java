package dev.cachescope.agent.inst;

import dev.cachescope.MetricsAggregator;
import dev.cachescope.export.config.MonitoringConfig;
import dev.cachescope.spring.SpringCacheMonitoring;
import org.jspecify.annotations.Nullable;
import org.springframework.cache.Cache;

/** The Spring part of {@link Glue}: loaded only in a host that has Spring's cache abstraction. */
final class SpringGlue {
  private static @Nullable SpringCacheMonitoring monitoring;

  private SpringGlue() {}

  static Object cache(
      MetricsAggregator aggregator, MonitoringConfig config, Object manager, Object cache) {
    Cache springCache = (Cache) cache;
    if (springCache.getNativeCache().getClass().getName().startsWith(Glue.ADAPTERS)) {
      return cache; // a cache the agent already monitors where it was built (JCache, Caffeine)
    }
    return monitoring(aggregator, config).monitored(managerName(manager), springCache);
  }

  private static synchronized SpringCacheMonitoring monitoring(
      MetricsAggregator aggregator, MonitoringConfig config) {
    if (monitoring == null) {
      monitoring = SpringCacheMonitoring.create(aggregator, config);
    }
    return monitoring;
  }

  /**
   * {@code caffeineCacheManager} for a {@code CaffeineCacheManager} (or a CGLIB subclass of it).
   */
  private static String managerName(Object manager) {
    String simple = manager.getClass().getSimpleName();
    int proxy = simple.indexOf("$$");
    String name = proxy > 0 ? simple.substring(0, proxy) : simple;
    return name.isEmpty()
        ? "cacheManager"
        : Character.toLowerCase(name.charAt(0)) + name.substring(1);
  }
}
